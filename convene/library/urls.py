from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("n/<slug:network_slug>/documents/<int:document_id>/", views.document_download, name="download"),
]
