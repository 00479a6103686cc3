"""The statements pages: members read them in their language, nobody outside the network does."""

import pytest
from django.urls import reverse

from convene.statements import services

pytestmark = pytest.mark.django_db


def draft(network):
    return services.draft_statement(
        by=None,
        network=network,
        body=network.bodies.get(kind="plenary"),
        title="Joint statement on labour migration",
        texts={
            "ru": {"title": "Совместное заявление", "text": "Первый абзац.\n\nВторой абзац."},
            "en": {"title": "Joint statement", "text": "First paragraph.\n\nSecond paragraph."},
        },
        authoritative_language="ru",
        concerns_state=False,
    )


def test_members_list_and_read_a_statement_in_their_language(client, kazakhstan, seat):
    member = seat(kazakhstan, "network", "UNICEF")
    statement = draft(kazakhstan)
    services.put_to_clearance(by=None, statement=statement)
    client.force_login(member)
    listing = client.get(reverse("statements:statements", args=["kazakhstan"]), HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200 and "Joint statement on labour migration" in listing.content.decode()
    url = reverse("statements:statement", args=["kazakhstan", statement.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Second paragraph." in page and "UNICEF" in page
    member.language = "ru"
    member.save()
    assert "Второй абзац." in client.get(url).content.decode()


def test_nobody_outside_the_network_sees_a_statement(client, kazakhstan, kenya, seat):
    statement = draft(kazakhstan)
    url = reverse("statements:statement", args=["kazakhstan", statement.pk])
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    client.force_login(seat(kenya, "network", "FAO"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("statements:statements", args=["kazakhstan"])).status_code == 404
    # Kenya's member asking for the statement under Kenya's address: not in this network.
    assert client.get(reverse("statements:statement", args=["kenya", statement.pk])).status_code == 404
