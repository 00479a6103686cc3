from django.urls import path

from . import views

app_name = "meetings"

MEETINGS = "n/<slug:network_slug>/meetings"
ITEM = f"{MEETINGS}/<int:meeting_id>/agenda/<int:item_id>"

urlpatterns = [
    path(f"{MEETINGS}/", views.meeting_list, name="list"),
    path(f"{MEETINGS}/new/", views.meeting_new, name="new"),
    path(f"{MEETINGS}/series/new/", views.series_new, name="series_new"),
    path(f"{MEETINGS}/<int:meeting_id>/", views.meeting_detail, name="detail"),
    path(f"{MEETINGS}/<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path(f"{MEETINGS}/<int:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path(f"{MEETINGS}/<int:meeting_id>/held/", views.meeting_held, name="held"),
    path(f"{MEETINGS}/<int:meeting_id>/circulate/", views.meeting_circulate, name="circulate"),
    path(f"{MEETINGS}/<int:meeting_id>/attendance/", views.meeting_attendance, name="attendance"),
    path(f"{MEETINGS}/<int:meeting_id>/minutes/", views.meeting_minutes, name="minutes"),
    path(
        f"{MEETINGS}/<int:meeting_id>/agenda.pdf",
        views.meeting_document,
        {"document": "agenda", "fmt": "pdf"},
        name="agenda_pdf",
    ),
    path(
        f"{MEETINGS}/<int:meeting_id>/agenda.docx",
        views.meeting_document,
        {"document": "agenda", "fmt": "docx"},
        name="agenda_docx",
    ),
    path(
        f"{MEETINGS}/<int:meeting_id>/minutes.pdf",
        views.meeting_document,
        {"document": "minutes", "fmt": "pdf"},
        name="minutes_pdf",
    ),
    path(
        f"{MEETINGS}/<int:meeting_id>/minutes.docx",
        views.meeting_document,
        {"document": "minutes", "fmt": "docx"},
        name="minutes_docx",
    ),
    path(
        f"{MEETINGS}/<int:meeting_id>/pack.zip",
        views.meeting_document,
        {"document": "pack", "fmt": "zip"},
        name="pack",
    ),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path(f"{MEETINGS}/<int:meeting_id>/agenda/new/", views.agenda_item_new, name="agenda_item_new"),
    path(f"{ITEM}/edit/", views.agenda_item_edit, name="agenda_item_edit"),
    path(f"{ITEM}/paper/", views.agenda_item_paper, name="agenda_item_paper"),
    path(f"{ITEM}/up/", views.agenda_item_move, {"direction": "up"}, name="agenda_item_up"),
    path(f"{ITEM}/down/", views.agenda_item_move, {"direction": "down"}, name="agenda_item_down"),
    path(f"{ITEM}/remove/", views.agenda_item_remove, name="agenda_item_remove"),
    path(f"{ITEM}/decide/", views.agenda_item_decide, name="agenda_item_decide"),
]
