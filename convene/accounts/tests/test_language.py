"""A person chooses the language of every page, before signing in and after."""

import pytest
from django.conf import settings
from django.urls import reverse

from convene.accounts.models import User

LOGIN = reverse("account_login")


def choose(client, language, next_url=LOGIN):
    return client.post(reverse("accounts:language"), {"language": language, "next": next_url})


@pytest.mark.django_db
def test_the_sign_in_page_offers_every_shipped_language_and_switches(client):
    page = client.get(LOGIN).content.decode()
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in page and name in page
    response = choose(client, "ar")
    assert response.status_code == 302 and response.url == LOGIN
    page = client.get(LOGIN).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<option value="ar" lang="ar" selected>' in page


@pytest.mark.django_db
def test_a_signed_in_persons_choice_is_saved_and_follows_them_to_another_device(client, kenya_member):
    client.force_login(kenya_member)
    choose(client, "sw", next_url="/")
    kenya_member.refresh_from_db()
    assert kenya_member.language == "sw"

    other_device = type(client)()
    other_device.force_login(kenya_member)
    page = other_device.get(reverse("networks:home", args=["kenya"]), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="sw" dir="ltr">' in page.content.decode()
    assert page["Content-Language"] == "sw"


@pytest.mark.django_db
def test_the_network_lists_its_own_languages_first(client, kazakhstan_secretariat):
    client.force_login(kazakhstan_secretariat)
    page = client.get(reverse("networks:home", args=["kazakhstan"])).content.decode()
    offered = [code for code, _name in settings.LANGUAGES if f'<option value="{code}"' in page]
    order = sorted(offered, key=lambda code: page.index(f'<option value="{code}"'))
    assert order[:3] == ["ru", "kk", "en"]


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(client, kenya_member):
    client.force_login(kenya_member)
    choose(client, "xx", next_url="/")
    assert User.objects.get(pk=kenya_member.pk).language == ""
    assert client.get(LOGIN).wsgi_request.LANGUAGE_CODE == "en"


@pytest.mark.django_db
def test_without_a_choice_the_browser_language_is_used(client):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5").content.decode()
    assert '<html lang="ru" dir="ltr">' in page
