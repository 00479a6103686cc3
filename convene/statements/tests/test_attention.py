"""The network home lists the statements awaiting the clearance of the user's organisation, by the
round's deadline on the network's clock, until it answers; one query however many rounds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from convene.decisions.tests.test_attention import attention
from convene.networks.models import Organisation
from convene.statements import panels, services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def put(network, title, deadline=None):
    statement = services.draft_statement(
        by=None,
        network=network,
        body=network.bodies.get(kind="plenary"),
        title=title,
        texts={"ru": {"title": "", "text": "Текст."}},
        authoritative_language="ru",
        concerns_state=False,
    )
    return services.put_to_clearance(by=None, statement=statement, deadline=deadline)


def test_awaiting_your_clearance_until_the_seat_answers(client, kazakhstan, seat):
    member = seat(kazakhstan, "network", "UNICEF")
    in_two_days = timezone.now() + datetime.timedelta(days=2)
    round = put(kazakhstan, "On labour migration", deadline=in_two_days)
    client.force_login(member)
    due = kazakhstan.localtime(in_two_days).strftime("%-d %b %Y, %H:%M")  # Astana's clock
    text = attention(client, "kazakhstan")
    assert "Awaiting your clearance On labour migration — UNICEF · " in text and f"by {due}" in text
    page = client.get(reverse("networks:home", args=["kazakhstan"])).content.decode()
    assert reverse("statements:statement", args=["kazakhstan", round.statement_id]) + "#answer" in page
    services.answer_clearance(
        by=member,
        round=round,
        organisation=Organisation.objects.get(acronym="UNICEF", country=""),
        answer="cleared",
    )
    assert "Awaiting your clearance" not in attention(client, "kazakhstan")


def test_one_query_however_many_rounds(kazakhstan, kenya, seat):
    member = seat(kazakhstan, "network", "UNICEF")
    seat(kenya, "network", "FAO")
    panels.awaiting_clearance(member, kazakhstan)  # the access is loaded once per request
    put(kazakhstan, "One")
    with CaptureQueriesContext(connection) as one:
        assert len(panels.awaiting_clearance(member, kazakhstan)) == 1
    for n in range(5):
        put(kazakhstan, f"More {n}")
    with CaptureQueriesContext(connection) as six:
        assert len(panels.awaiting_clearance(member, kazakhstan)) == 6
    assert len(six) == len(one)
    # Nobody else's rounds: a member of another network owes nothing here.
    outsider = seat(kenya, "network", "ILO")
    assert panels.awaiting_clearance(outsider, kazakhstan) == []
