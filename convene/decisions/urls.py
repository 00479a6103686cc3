from django.urls import path

from . import views

app_name = "decisions"

N = "n/<slug:network_slug>"
P = f"{N}/proposals/<int:proposal_id>"

urlpatterns = [
    path(f"{N}/proposals/", views.proposal_list, name="proposals"),
    path(f"{N}/proposals/new/", views.proposal_new, name="proposal_new"),
    path(f"{P}/", views.proposal_detail, name="proposal"),
    path(f"{P}/edit/", views.proposal_edit, name="proposal_edit"),
    path(f"{P}/position/", views.position, name="position"),
    path(f"{P}/close/", views.proposal_close, name="proposal_close"),
    path(f"{P}/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path(f"{P}/defer/", views.proposal_defer, name="proposal_defer"),
    path(f"{P}/reopen/", views.proposal_reopen, name="proposal_reopen"),
    path(f"{P}/paper/", views.proposal_paper, name="proposal_paper"),
    path(f"{P}/escalation/", views.escalation, name="escalation"),
    path(f"{P}/consultations/new/", views.consultation_new, name="consultation_new"),
    path(f"{P}/consultations/<int:consultation_id>/", views.consultation_record, name="consultation_record"),
    path(f"{N}/consultations/", views.consultation_list, name="consultations"),
    path(f"{N}/consultations/focal-points/", views.focal_points, name="focal_points"),
    path(f"{N}/consultations/<int:consultation_id>/", views.consultation_detail, name="consultation"),
    path(
        f"{N}/consultations/<int:consultation_id>/papers/<int:document_id>/",
        views.consultation_paper,
        name="consultation_paper",
    ),
    path(f"{N}/decisions/", views.register, name="register"),
    path(f"{N}/decisions/record/", views.decision_record, name="decision_record"),
    path(f"{N}/decisions/export.xlsx", views.register_export, {"fmt": "xlsx"}, name="register_xlsx"),
    path(f"{N}/decisions/export.pdf", views.register_export, {"fmt": "pdf"}, name="register_pdf"),
    path(f"{N}/actions/", views.action_list, name="actions"),
    path(f"{N}/actions/new/", views.action_new, name="action_new"),
    path(f"{N}/actions/<int:action_id>/", views.action_detail, name="action"),
    path(f"{N}/actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path(f"{N}/monitoring/", views.monitoring_page, name="monitoring"),
]
