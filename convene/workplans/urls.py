from django.urls import path

from . import views

app_name = "workplans"

N = "n/<slug:network_slug>"
W = f"{N}/workplans/<int:workplan_id>"
A = f"{N}/activities/<int:activity_id>"

urlpatterns = [
    path(f"{N}/workplans/", views.workplan_list, name="list"),
    path(f"{W}/", views.workplan_detail, name="detail"),
    path(f"{W}/edit/", views.workplan_edit, name="edit"),
    path(f"{W}/charts/", views.workplan_charts, name="charts"),
    path(f"{W}/submit/", views.workplan_submit, name="submit"),
    path(f"{W}/consult/", views.workplan_consult, name="consult"),
    path(f"{W}/views/", views.workplan_give_view, name="give_view"),
    path(f"{W}/review/", views.workplan_status, {"step": "review"}, name="review"),
    path(f"{W}/close/", views.workplan_status, {"step": "close"}, name="close"),
    path(f"{N}/workplans/template.xlsx", views.template_xlsx, name="template"),
    path(f"{W}/export.xlsx", views.workplan_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path(f"{W}/export.csv", views.workplan_export, {"fmt": "csv"}, name="export_csv"),
    path(f"{W}/uninfo.xlsx", views.workplan_export, {"fmt": "uninfo"}, name="export_uninfo"),
    path(f"{W}/import/", views.workplan_import, name="import"),
    path(f"{W}/activities/new/", views.activity_new, name="activity_new"),
    path(f"{A}/", views.activity_detail, name="activity"),
    path(f"{A}/edit/", views.activity_edit, name="activity_edit"),
    path(f"{A}/remove/", views.activity_remove, name="activity_remove"),
    path(f"{A}/indicators/new/", views.indicator_form, name="indicator_new"),
    path(f"{A}/indicators/<int:indicator_id>/", views.indicator_form, name="indicator_edit"),
]
