"""A statement's particulars (title, kind, audience, occasion and its date, the decision it comes
from, GCM objectives) are edited on their own page and through the API's PATCH by those who manage
the statement, audited; refused once it is issued or withdrawn; bad input changes nothing."""

import pytest
from django.urls import reverse

from convene.core.models import ChangeLog
from convene.decisions import services as decisions
from convene.statements import services
from convene.statements.models import Statement
from convene.workplans.models import GcmObjective

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

API = "/api/v1/networks/kenya/statements"


def draft(network):
    return services.draft_statement(
        by=None,
        network=network,
        body=network.bodies.get(kind="plenary"),
        title="On labour migration",
        texts={"en": {"text": "One.\n\nTwo."}},
        authoritative_language="en",
    )


def adopted(network):
    proposal = decisions.propose(
        by=None, network=network, body=network.bodies.get(slug="executive-committee"), title="Speak", text="T"
    )
    decisions.close_proposal(by=None, proposal=proposal)
    return proposal.decision


def edit_url(statement):
    return reverse("statements:statement_edit", args=[statement.network.slug, statement.pk])


def statement_log(statement):
    return ChangeLog.objects.filter(content_type__model="statement", object_id=str(statement.pk))


def test_the_secretariat_edits_the_particulars_from_the_statement_page(client, kenya, kenya_secretariat):
    statement, decision = draft(kenya), adopted(kenya)
    objectives = list(GcmObjective.objects.filter(number__in=[6, 16]))
    client.force_login(kenya_secretariat)
    page = client.get(reverse("statements:statement", args=["kenya", statement.pk])).content.decode()
    assert edit_url(statement) in page
    form = client.get(edit_url(statement)).content.decode()
    assert 'value="On labour migration"' in form
    response = client.post(
        edit_url(statement),
        {
            "title": " Decent work for migrant workers ",
            "kind": "common_position",
            "audience": "government",
            "occasion": "Briefing of the Ministry of Labour",
            "occasion_date": "2027-01-20",
            "decision": decision.number.lower(),
            "gcm_objectives": [o.pk for o in objectives],
        },
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert (statement.title, statement.kind, statement.audience) == (
        "Decent work for migrant workers",
        "common_position",
        "government",
    )
    assert statement.occasion_date.isoformat() == "2027-01-20" and statement.decision == decision
    assert sorted(statement.gcm_objectives.values_list("number", flat=True)) == [6, 16]
    changes = statement_log(statement).filter(action="update").get().changes
    assert changes["title"] == ["On labour migration", "Decent work for migrant workers"]
    assert changes["gcm_objectives"] == [[], [6, 16]]
    page = client.get(response.url).content.decode()
    assert decision.number in page and "Briefing of the Ministry of Labour" in page
    # The text is untouched: it changes only by a new version.
    assert services.latest_version(statement).number == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": ""}, "This field is required."),
        ({"decision": "KEN/1999/001"}, "No such decision in this network."),
        ({"occasion_date": "tomorrow"}, "Enter a valid date."),
        ({"audience": "everyone"}, "Select a valid choice."),
    ],
)
def test_bad_particulars_are_shown_and_nothing_changes(client, kenya, kenya_secretariat, data, error):
    statement = draft(kenya)
    client.force_login(kenya_secretariat)
    valid = {"title": "New title", "kind": "joint_statement", "audience": "internal"}
    response = client.post(edit_url(statement), {**valid, **data}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and error in response.content.decode()
    statement.refresh_from_db()
    assert statement.title == "On labour migration" and not statement_log(statement).filter(action="update")


def test_a_member_who_does_not_draft_cannot_edit(client, kenya, kenya_member):
    statement = draft(kenya)
    client.force_login(kenya_member)
    page = client.get(reverse("statements:statement", args=["kenya", statement.pk])).content.decode()
    assert "Edit the particulars" not in page and edit_url(statement) not in page
    assert client.get(edit_url(statement)).status_code == 403
    assert client.post(edit_url(statement), {"title": "Mine", "kind": "joint_statement"}).status_code == 403
    statement.refresh_from_db()
    assert statement.title == "On labour migration"


def test_a_withdrawn_statement_cannot_be_edited(client, kenya, kenya_secretariat):
    statement = draft(kenya)
    services.withdraw_statement(by=None, statement=statement, reason="Overtaken by events.")
    client.force_login(kenya_secretariat)
    page = client.get(reverse("statements:statement", args=["kenya", statement.pk])).content.decode()
    assert edit_url(statement) not in page
    response = client.post(edit_url(statement), {"title": "Too late", "kind": "joint_statement"})
    assert response.status_code == 403
    assert "An issued or withdrawn statement cannot be changed." in response.content.decode()
    statement.refresh_from_db()
    assert statement.title == "On labour migration"


def patch(client, statement, data):
    return client.patch(f"{API}/{statement.pk}/", data, content_type="application/json")


def test_patch_changes_the_particulars_and_answers_the_detail(client, kenya, kenya_secretariat):
    statement, decision = draft(kenya), adopted(kenya)
    client.force_login(kenya_secretariat)
    response = patch(
        client,
        statement,
        {
            "title": "Decent work",
            "kind": "talking_points",
            "audience": "public",
            "occasion": "Labour day",
            "occasion_date": "2027-05-01",
            "decision": decision.number,
            "gcm_objectives": [6],
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["kind"], body["audience"], body["occasion_date"]) == (
        "Decent work",
        "talking_points",
        "public",
        "2027-05-01",
    )
    assert body["gcm_objectives"] == [6] and body["decision"] == decision.number
    assert patch(client, statement, {"decision": None, "gcm_objectives": []}).status_code == 200
    statement.refresh_from_db()
    assert statement.decision is None and not statement.gcm_objectives.exists()
    assert statement_log(statement).filter(action="update").count() == 2


def test_patch_is_refused_with_a_reason_and_changes_nothing(client, kenya, kenya_secretariat, kenya_member):
    statement = draft(kenya)
    client.force_login(kenya_secretariat)
    for data, field in (
        ({"decision": "KEN/1999/001"}, "decision"),
        ({"gcm_objectives": [99]}, "gcm_objectives"),
        ({"title": ""}, "title"),
        ({"audience": "everyone"}, "audience"),
        ({"texts": {"en": {"text": "New"}}}, "texts"),
    ):
        response = patch(client, statement, data)
        assert response.status_code == 400 and field in response.json(), (data, response.json())
    client.force_login(kenya_member)
    response = patch(client, statement, {"title": "Mine"})
    assert response.status_code == 403 and response.json()["detail"]
    services.withdraw_statement(by=None, statement=statement, reason="Overtaken by events.")
    client.force_login(kenya_secretariat)
    response = patch(client, statement, {"title": "Too late"})
    assert response.status_code == 403
    assert response.json()["detail"] == "An issued or withdrawn statement cannot be changed."
    statement.refresh_from_db()
    assert statement.title == "On labour migration" and statement.status == Statement.Status.WITHDRAWN
    assert not statement_log(statement).filter(action="update", changes__has_key="title").exists()
