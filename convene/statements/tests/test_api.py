"""The statements API end to end: the same services and permissions as the pages, 4xx with a reason."""

import datetime

import pytest

from convene.core.models import ChangeLog
from convene.statements import services
from convene.statements.models import Clearance, Comment, Delivery, Round, Statement, Version

pytestmark = pytest.mark.clock

API = "/api/v1/networks/kenya/statements"
TEXT = {"en": {"title": "Migrant workers", "text": "First paragraph.\n\nSecond paragraph."}}


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def draft(client, **extra):
    data = {"title": "On the rights of migrant workers", "texts": TEXT, "authoritative_language": "en"}
    response = post(client, f"{API}/", {**data, **extra})
    assert response.status_code == 201, response.json()
    return response.json()


def test_draft_clear_by_silence_sign_off_issue_and_deliver(client, kenya, kenya_secretariat, seat):
    unhcr = seat(kenya, "executive-committee", "UNHCR")
    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator")
    client.force_login(kenya_secretariat)
    created = draft(client, gcm_objectives=[6, 16], kind="common_position")
    url = f"{API}/{created['id']}/"
    assert created["status"] == "draft" and created["body"] == "network"
    assert created["gcm_objectives"] == [6, 16] and created["latest_version"]["number"] == 1
    assert created["latest_version"]["texts"]["en"]["text"] == TEXT["en"]["text"]
    assert [s["id"] for s in client.get(f"{API}/?status=draft").json()["results"]] == [created["id"]]
    assert client.get(f"{API}/?status=issued").json()["results"] == []

    changed = client.patch(url, {"occasion": "Briefing of the Ministry"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["occasion"] == "Briefing of the Ministry"
    revised = post(
        client,
        f"{url}versions/",
        {
            "texts": {"en": {"title": "", "text": "First.\n\nSecond.\n\nThird."}},
            "authoritative_language": "en",
        },
    )
    assert revised.status_code == 201 and [v["number"] for v in revised.json()["versions"]] == [1, 2]

    put = post(client, f"{url}clearance/", {"procedure": "silence"})
    assert put.status_code == 200, put.json()
    detail = put.json()
    assert detail["status"] == "clearance" and detail["round"]["version"] == 2
    assert detail["round"]["body"] == "executive-committee"
    assert "UNHCR" in {c["organisation"] for c in detail["round"]["clearances"]}

    # A representative answers for their seat; the Secretariat records one given by e-mail.
    client.force_login(unhcr)
    comment = post(client, f"{url}comments/", {"language": "en", "paragraph": 2, "text": "Name refugees."})
    assert comment.status_code == 201 and comment.json()["organisation"] == "UNHCR"
    assert [c["text"] for c in client.get(f"{url}comments/").json()] == ["Name refugees."]
    assert client.get(f"{url}comments/?version=1").json() == []
    answered = post(
        client, f"{url}answer/", {"organisation": "UNHCR", "answer": "comments", "comment": "See §3."}
    )
    assert answered.status_code == 200, answered.json()
    client.force_login(kenya_secretariat)
    on_behalf = post(
        client, f"{url}answer/", {"organisation": "UNICEF", "answer": "cleared", "channel": "email"}
    )
    assert on_behalf.status_code == 200, on_behalf.json()
    clearances = {c["organisation"]: c for c in on_behalf.json()["round"]["clearances"]}
    assert clearances["UNHCR"]["answer"] == "comments" and clearances["UNHCR"]["channel"] == "direct"
    assert clearances["UNICEF"]["answer"] == "cleared" and clearances["UNICEF"]["channel"] == "email"

    # The deadline passes in silence: the others are deemed to have cleared.
    round = Round.objects.get(statement_id=created["id"])
    assert services.close_due_rounds(round.deadline + datetime.timedelta(seconds=1)) == 1
    detail = client.get(url).json()
    assert detail["status"] == "cleared" and detail["round"]["outcome"] == "cleared"
    assert {c["answer"] for c in detail["round"]["clearances"]} == {"comments", "cleared", "silence"}
    assert detail["signatory_line"] is None

    # A member does not sign for the Coordinator; the Coordinator signs and it is issued.
    client.force_login(unhcr)
    assert post(client, f"{url}sign-off/", {"organisation": "IOM"}).status_code == 403
    client.force_login(coordinator)
    signed = post(client, f"{url}sign-off/", {"organisation": "IOM"})
    assert signed.status_code == 200, signed.json()
    detail = signed.json()
    assert detail["status"] == "issued" and detail["issued_at"]
    assert detail["signatory_line"] == kenya.localised("name", "en")
    assert [s["organisation"] for s in detail["sign_offs"]] == ["IOM"]

    delivered = post(
        client,
        f"{url}deliveries/",
        {
            "delivered_on": kenya.today().isoformat(),
            "organisation": "IOM",
            "occasion": "Briefing of the Ministry of Labour",
            "recipients": "The Principal Secretary",
        },
    )
    assert delivered.status_code == 201, delivered.json()
    assert client.get(url).json()["deliveries"][0]["occasion"] == "Briefing of the Ministry of Labour"
    # Issued: locked.
    client.force_login(kenya_secretariat)
    assert post(client, f"{url}withdraw/", {"reason": "Too late"}).status_code == 403
    assert Statement.objects.get(pk=created["id"]).status == Statement.Status.ISSUED


def test_without_consensus_the_undersigned_speak_and_a_statement_can_be_withdrawn(
    client, kenya, kenya_secretariat
):
    client.force_login(kenya_secretariat)
    url = f"{API}/{draft(client)['id']}/"
    assert post(client, f"{url}clearance/", {"procedure": "explicit"}).status_code == 200
    round = Round.objects.get()
    for c in round.clearances.select_related("organisation"):
        answer = "objects" if c.organisation.acronym == "UNHCR" else "cleared"
        data = {
            "organisation": c.organisation.acronym,
            "answer": answer,
            "comment": "No.",
            "channel": "meeting",
        }
        assert post(client, f"{url}answer/", data).status_code == 200
    assert client.get(url).json()["status"] == "no_consensus"
    undersigned = post(client, f"{url}undersigned/")
    assert undersigned.status_code == 200 and undersigned.json()["voice"] == "undersigned"
    assert post(client, f"{url}withdraw/", {}).status_code == 400
    withdrawn = post(client, f"{url}withdraw/", {"reason": "Overtaken by events."})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_another_networks_statement_is_404(client, kenya, kenya_secretariat, kazakhstan_secretariat):
    client.force_login(kenya_secretariat)
    url = f"{API}/{draft(client)['id']}/"
    client.force_login(kazakhstan_secretariat)
    assert client.get(url).status_code == 404
    assert client.get(f"{API}/").status_code == 404
    kazakh = f"/api/v1/networks/kazakhstan/statements/{url.split('/')[-2]}/"
    assert client.get(kazakh).status_code == 404
    assert (
        post(client, f"{kazakh}versions/", {"texts": TEXT, "authoritative_language": "en"}).status_code == 404
    )


def test_a_member_does_not_answer_for_a_seat_they_do_not_hold(client, kenya, kenya_secretariat, seat):
    unhcr = seat(kenya, "executive-committee", "UNHCR")
    client.force_login(kenya_secretariat)
    url = f"{API}/{draft(client)['id']}/"
    post(client, f"{url}clearance/")
    client.force_login(unhcr)
    log = ChangeLog.objects.count()
    response = post(client, f"{url}answer/", {"organisation": "UNICEF", "answer": "cleared"})
    assert response.status_code == 403 and "UNICEF" in response.json()["detail"]
    assert ChangeLog.objects.count() == log
    assert not Clearance.objects.exclude(answer="").exists()


def test_only_those_who_draft_in_its_name_revise(client, kenya, kenya_secretariat, kenya_member):
    client.force_login(kenya_secretariat)
    url = f"{API}/{draft(client)['id']}/"
    client.force_login(kenya_member)
    assert client.get(url).status_code == 200  # members read
    response = post(
        client, f"{url}versions/", {"texts": {"en": {"text": "Mine."}}, "authoritative_language": "en"}
    )
    assert response.status_code == 403 and response.json()["detail"]
    assert (
        post(client, f"{API}/", {"title": "T", "texts": TEXT, "authoritative_language": "en"}).status_code
        == 403
    )
    assert Version.objects.count() == 1 and Statement.objects.count() == 1


def test_bad_input_is_a_400_with_a_reason_and_changes_nothing(client, kenya, kenya_secretariat):
    client.force_login(kenya_secretariat)
    url = f"{API}/{draft(client)['id']}/"
    log = ChangeLog.objects.count()
    base = {"title": "T", "texts": TEXT, "authoritative_language": "en"}
    cases = [
        (f"{API}/", {**base, "texts": {}}),
        (f"{API}/", {**base, "texts": {"xx": {"text": "Hi"}}}),
        (f"{API}/", {**base, "texts": {"en": "not an object"}}),
        (f"{API}/", {**base, "authoritative_language": "fr"}),
        (f"{API}/", {**base, "body": "no-such-body"}),
        (f"{API}/", {**base, "gcm_objectives": [99]}),
        (f"{API}/", {**base, "decision": "KEN/1999/001"}),
        (f"{API}/", {"title": "T"}),
        (f"{url}versions/", {"texts": TEXT, "authoritative_language": "en"}),  # nothing changed
        (f"{url}clearance/", {"procedure": "unanimous"}),
        (f"{url}clearance/", {"deadline": "2000-01-01T00:00:00Z"}),
        (f"{url}answer/", {"organisation": "UNHCR", "answer": "cleared"}),  # not in clearance
        (f"{url}comments/", {"language": "en", "paragraph": 7, "text": "Where?"}),
        (f"{url}comments/", {"language": "en", "paragraph": 0, "text": "X", "version": 9}),
        (f"{url}sign-off/", {}),
        (f"{url}undersigned/", {}),
        (f"{url}withdraw/", {"reason": ""}),
    ]
    for address, data in cases:
        response = post(client, address, data)
        assert response.status_code == 400 and response.json(), (address, data, response.status_code)
    patched = client.patch(url, {"status": "issued"}, content_type="application/json")
    assert patched.status_code == 400 and "status" in patched.json()
    assert ChangeLog.objects.count() == log
    assert Statement.objects.count() == 1 and Version.objects.count() == 1
    assert not Round.objects.exists() and not Comment.objects.exists() and not Delivery.objects.exists()
    assert Statement.objects.get().status == Statement.Status.DRAFT
