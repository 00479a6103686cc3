from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("language/", views.choose_language, name="language"),
    path("me/", views.settings_page, name="settings"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
