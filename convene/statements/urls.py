from django.urls import path

from . import public, release_views, views

app_name = "statements"

N = "n/<slug:network_slug>"
S = f"{N}/statements/<int:statement_id>"

urlpatterns = [
    path(f"{N}/statements/", views.statement_list, name="statements"),
    path(f"{N}/statements/new/", views.statement_new, name="statement_new"),
    path(f"{S}/", views.statement_detail, name="statement"),
    path(f"{S}/edit/", views.statement_edit, name="statement_edit"),
    path(f"{S}/revise/", views.statement_revise, name="statement_revise"),
    path(f"{S}/clearance/", views.statement_clearance, name="statement_clearance"),
    path(f"{S}/answer/", views.statement_answer, name="statement_answer"),
    path(f"{S}/undersigned/", views.statement_undersigned, name="statement_undersigned"),
    path(f"{S}/sign-off/", views.statement_sign_off, name="statement_sign_off"),
    path(f"{S}/table/", views.statement_table, name="statement_table"),
    path(f"{S}/follow-unct/", views.statement_follow_unct, name="statement_follow_unct"),
    path(f"{S}/withdraw/", views.statement_withdraw, name="statement_withdraw"),
    path(f"{S}/delivery/", views.statement_delivery, name="statement_delivery"),
    path(f"{S}/comment/", views.statement_comment, name="statement_comment"),
    path(f"{S}/compare/", views.statement_compare, name="statement_compare"),
    path(f"{S}/v<int:version>.pdf", views.statement_document, {"fmt": "pdf"}, name="statement_pdf"),
    path(f"{S}/v<int:version>.docx", views.statement_document, {"fmt": "docx"}, name="statement_docx"),
    path(f"{N}/releases/", release_views.release_list, name="releases"),
    path(f"{N}/releases/new/", release_views.release_new, name="release_new"),
    path(f"{N}/releases/<int:release_id>/", release_views.release_detail, name="release"),
    path(f"{N}/releases/<int:release_id>/act/", release_views.release_act, name="release_act"),
    # The public page: no sign-in, released records only.
    path("p/<slug:network_slug>/", public.public_page, name="public"),
    path("p/<slug:network_slug>/feed.atom", public.feed, name="public_feed"),
    path("p/<slug:network_slug>/<int:release_id>/", public.public_release, name="public_release"),
    path("p/<slug:network_slug>/<int:release_id>/file", public.public_file, name="public_file"),
]
