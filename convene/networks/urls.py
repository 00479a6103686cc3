from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("", views.home, name="index"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("n/<slug:network_slug>/", views.network_home, name="home"),
    path("n/<slug:network_slug>/attention/", views.attention, name="attention"),
    path("n/<slug:network_slug>/members/", views.members, name="members"),
    path("n/<slug:network_slug>/members.xlsx", views.members_export, {"fmt": "xlsx"}, name="members_xlsx"),
    path("n/<slug:network_slug>/members.csv", views.members_export, {"fmt": "csv"}, name="members_csv"),
    path("n/<slug:network_slug>/members/share/", views.members_share, name="members_share"),
    path("n/<slug:network_slug>/applications/", views.applications, name="applications"),
    path(
        "n/<slug:network_slug>/applications/<int:membership_id>/decide/",
        views.application_decide,
        name="application_decide",
    ),
    path("n/<slug:network_slug>/working-groups/new/", views.working_group_new, name="working_group_new"),
    path("n/<slug:network_slug>/bodies/<slug:body_slug>/", views.body_detail, name="body"),
    path(
        "n/<slug:network_slug>/bodies/<slug:body_slug>/memberships/new/",
        views.membership_add,
        name="membership_add",
    ),
    path(
        "n/<slug:network_slug>/bodies/<slug:body_slug>/edit/",
        views.working_group_edit,
        name="working_group_edit",
    ),
    path(
        "n/<slug:network_slug>/bodies/<slug:body_slug>/abolish/",
        views.working_group_abolish,
        name="working_group_abolish",
    ),
    path("n/<slug:network_slug>/bodies/<slug:body_slug>/co-chairs/", views.co_chairs, name="co_chairs"),
    path(
        "n/<slug:network_slug>/memberships/<int:membership_id>/edit/",
        views.membership_edit,
        name="membership_edit",
    ),
    path(
        "n/<slug:network_slug>/memberships/<int:membership_id>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path(
        "n/<slug:network_slug>/memberships/<int:membership_id>/representatives/new/",
        views.representative_add,
        name="representative_add",
    ),
    path(
        "n/<slug:network_slug>/representatives/<int:rep_id>/edit/",
        views.representative_edit,
        name="representative_edit",
    ),
    path(
        "n/<slug:network_slug>/representatives/<int:rep_id>/remove/",
        views.representative_remove,
        name="representative_remove",
    ),
    path("n/<slug:network_slug>/audit/", views.audit_log, name="audit_log"),
    path("n/<slug:network_slug>/outbox/", views.outbox, name="outbox"),
]
