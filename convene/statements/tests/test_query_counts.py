"""A statement's page makes as many queries with 30 clearance answers, comments and versions as with
a handful, whoever reads it (the Secretariat sees every form)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.networks import services as network_services
from convene.networks.models import Organisation
from convene.statements import services
from convene.statements.models import Clearance

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def statement_with_answers(network, secretariat, answered: int):
    statement = services.draft_statement(
        by=secretariat,
        network=network,
        body=network.bodies.get(kind="plenary"),
        title="On labour migration",
        texts={"ru": {"title": "", "text": "Один.\n\nДва."}, "en": {"title": "", "text": "One.\n\nTwo."}},
        authoritative_language="ru",
        concerns_state=False,
    )
    version = services.latest_version(statement)
    for n in range(answered):
        services.comment_on_paragraph(
            by=secretariat, version=version, language="ru", paragraph=n % 2, text=f"C{n}"
        )
    services.revise_statement(
        by=secretariat,
        statement=statement,
        texts={"ru": {"title": "", "text": "Один.\n\nДва, три."}},
        authoritative_language="ru",
        note="Second paragraph",
    )
    round = services.put_to_clearance(by=secretariat, statement=statement)
    answers = [Clearance.Answer.CLEARED, Clearance.Answer.COMMENTS, Clearance.Answer.OBJECTS]
    for n, seat in enumerate(list(round.clearances.select_related("organisation"))[:answered]):
        services.answer_clearance(
            by=secretariat,
            round=round,
            organisation=seat.organisation,
            answer=answers[n % 3],
            comment="Because.",
            channel=Clearance.Channel.EMAIL,
        )
    return statement, round


def queries(client, statement):
    url = reverse("statements:statement", args=[statement.network.slug, statement.pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url + "?lang=ru").status_code == 200
    return len(captured)


def test_the_statement_page_does_not_grow_with_its_answers(client, kazakhstan, kazakhstan_secretariat):
    client.force_login(kazakhstan_secretariat)
    small, _round = statement_with_answers(kazakhstan, kazakhstan_secretariat, answered=2)
    few = queries(client, small)
    plenary = kazakhstan.bodies.get(kind="plenary")
    for n in range(30):
        organisation = Organisation.objects.create(acronym=f"AG{n}", name=f"Agency {n}", kind="un")
        network_services.add_membership(by=None, body=plenary, organisation=organisation)
    big, round = statement_with_answers(kazakhstan, kazakhstan_secretariat, answered=30)
    assert round.clearances.count() > 30
    assert round.clearances.exclude(answer="").count() == 30
    many = queries(client, big)
    assert many == few, (few, many)
    assert many <= 16, many
