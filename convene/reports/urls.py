from django.urls import path

from . import views

app_name = "reports"

N = "n/<slug:network_slug>"
R = f"{N}/reports/<int:report_id>"

urlpatterns = [
    path("rollup/", views.across_networks, name="rollup"),
    path(f"{N}/reports/", views.report_list, name="list"),
    path(f"{R}/", views.report_detail, name="detail"),
    path(f"{R}/issue/", views.report_issue, name="issue"),
    path(f"{R}/v<int:version>.pdf", views.report_download, {"fmt": "pdf"}, name="pdf"),
    path(f"{R}/v<int:version>.docx", views.report_download, {"fmt": "docx"}, name="docx"),
]
