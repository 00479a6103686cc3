"""The periodic report counts the statements issued in the period (in the name of the network or
of the agencies), their deliveries and what was made public, on the network's own days."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from convene.networks.models import Organisation
from convene.reports import figures
from convene.reports.documents import document_data
from convene.reports.services import create_report
from convene.statements import services as statements

pytestmark = pytest.mark.django_db


def test_a_statement_issued_late_on_the_last_day_of_a_quarter_counts_in_that_quarter(kenya, seat):
    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator")
    statement = statements.draft_statement(
        by=None,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title="Statement on return and reintegration",
        texts={"en": {"text": "Text."}},
        authoritative_language="en",
    )
    round = statements.put_to_clearance(by=None, statement=statement)
    statements.close_round(by=None, round=round, now=round.deadline)
    statement.refresh_from_db()
    # 20:30 UTC on 31 March is 23:30 in Nairobi: still the first quarter there.
    issued = datetime.datetime(2027, 3, 31, 20, 30, tzinfo=datetime.UTC)
    with time_machine.travel(issued, tick=False):
        statements.sign_off(
            by=coordinator, statement=statement, organisation=Organisation.objects.get(acronym="IOM")
        )
        statement.refresh_from_db()
        statements.record_delivery(
            by=None,
            statement=statement,
            delivered_on=kenya.today(),
            organisation=Organisation.objects.get(acronym="IOM"),
            occasion="National Coordination Mechanism",
            recipients="NCM members",
        )
    q1 = figures.statement_figures(kenya, datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))
    q2 = figures.statement_figures(kenya, datetime.date(2027, 4, 1), datetime.date(2027, 6, 30))
    assert [s["title"] for s in q1["issued"]] == ["Statement on return and reintegration"]
    assert q1["issued"][0]["by_network"] and q1["issued"][0]["issued_on"] == "2027-03-31"
    assert len(q1["deliveries"]) == 1 and q2 == {"issued": [], "deliveries": [], "released": 0}

    with timezone.override(datetime.UTC):  # whatever zone is active, the network's days count
        assert figures.statement_figures(kenya, datetime.date(2027, 1, 1), datetime.date(2027, 3, 31)) == q1
    report = create_report(by=None, network=kenya, audience="unct", period="quarter", year=2027, number=1)
    data = document_data(
        report,
        {**figures.collect(kenya, report.start, report.end, kenya.today()), "statements": q1},
        version=None,
    )
    [section] = [s for s in data["sections"] if s["heading"] == "Speaking with one voice"]
    assert "1 statement issued (1 in the name of the network)." in section["bullets"]
    assert section["table"]["rows"][0][1:] == [
        "Statement on return and reintegration",
        "Joint statement",
        "The network",
    ]
