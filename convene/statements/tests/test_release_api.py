"""The releases API end to end: the Secretariat proposes a record, asks its owners or records the
decision that agreed, and withdraws it; each seat answers for itself, the Secretariat on a seat's
behalf; members read; everyone else gets 4xx with a reason, and nothing changes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.core.models import ChangeLog
from convene.decisions import services as decisions
from convene.decisions import testing as charter_powers
from convene.decisions.models import Decision
from convene.library.services import upload_document
from convene.statements import releases, services
from convene.statements.models import Clearance, Release, Round

API = "/api/v1/networks/kenya/releases"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def document(network, title="Policy brief"):
    return upload_document(
        by=None, network=network, upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief"), title=title
    )


def adopted_decision(network, title="Publish the brief"):
    body = network.bodies.get(slug="executive-committee")
    proposal = decisions.propose(by=None, network=network, body=body, title=title, text="T")
    decisions.close_proposal(by=None, proposal=proposal)
    return proposal.decision


def propose(client, record, **extra) -> dict:
    response = post(client, f"{API}/", {"record": releases.reference(record), **extra})
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.clock
def test_the_owners_agree_seat_by_seat_some_answers_recorded_on_their_behalf(
    client, kenya, kenya_secretariat, seat
):
    ilo = seat(kenya, "executive-committee", "ILO")
    brief = document(kenya)
    client.force_login(kenya_secretariat)
    created = propose(client, brief, title="Our brief", summary="On labour migration.")
    url = f"{API}/{created['id']}/"
    assert (created["status"], created["kind"], created["record"]) == (
        "proposed",
        "library.document",
        f"library.document:{brief.pk}",
    )
    assert created["title"] == "Our brief" and created["public_url"] is None and created["rounds"] == []
    assert [
        r["id"] for r in client.get(f"{API}/?status=proposed&kind=library.document").json()["results"]
    ] == [created["id"]]
    assert client.get(f"{API}/?kind=decisions.decision").json()["results"] == []

    deadline = kenya.localtime() + datetime.timedelta(days=3)
    asked = post(
        client,
        f"{url}clearance/",
        {"procedure": "explicit", "deadline": deadline.replace(tzinfo=None).isoformat()},
    )
    assert asked.status_code == 200, asked.json()
    (round,) = asked.json()["rounds"]
    assert asked.json()["status"] == "clearance" and round["procedure"] == "explicit"
    assert round["body"] == "executive-committee" and round["outcome"] == ""
    # A deadline without a zone is the network's time.
    assert datetime.datetime.fromisoformat(round["deadline"]) == deadline
    seats = {c["organisation"] for c in round["clearances"]}
    assert {"ILO", "UNHCR"} <= seats

    # A representative answers for their seat; the Secretariat records the others as given.
    client.force_login(ilo)
    answered = post(client, f"{url}answer/", {"organisation": "ILO", "answer": "cleared"})
    assert answered.status_code == 200, answered.json()
    client.force_login(kenya_secretariat)
    without_channel = post(client, f"{url}answer/", {"organisation": "UNHCR", "answer": "cleared"})
    assert without_channel.status_code == 400 and "channel" in without_channel.json()
    for acronym in sorted(seats - {"ILO"}):
        data = {"organisation": acronym, "answer": "comments", "comment": "Fine.", "channel": "email"}
        assert post(client, f"{url}answer/", data).status_code == 200, acronym
    detail = client.get(url).json()
    assert detail["status"] == "released" and detail["released_at"]
    assert detail["public_url"] == f"http://testserver/p/kenya/{created['id']}/"
    answers = {c["organisation"]: c for c in detail["rounds"][0]["clearances"]}
    assert answers["ILO"]["channel"] == "direct" and answers["ILO"]["answered_by"] == ilo.email
    assert (
        answers["UNHCR"]["channel"] == "email" and answers["UNHCR"]["answered_by"] == kenya_secretariat.email
    )
    assert detail["rounds"][0]["outcome"] == "cleared"
    assert ChangeLog.objects.filter(source="api", object_id=str(created["id"])).exists()


def test_a_decision_releases_it_and_its_withdrawal_is_logged_with_the_reason(
    client, kenya, kenya_secretariat
):
    decision = adopted_decision(kenya)
    client.force_login(kenya_secretariat)
    url = f"{API}/{propose(client, document(kenya))['id']}/"
    decided = post(client, f"{url}decide/", {"decision": decision.number.lower()})
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "released" and decided.json()["decision"] == decision.number
    assert client.get(decided.json()["public_url"]).status_code == 200

    withdrawn = post(client, f"{url}withdraw/", {"reason": "Superseded by the 2027 brief."})
    assert withdrawn.status_code == 200, withdrawn.json()
    body = withdrawn.json()
    assert body["status"] == "withdrawn" and body["withdrawal_reason"] == "Superseded by the 2027 brief."
    assert body["withdrawn_at"] and body["public_url"] is None
    log = ChangeLog.objects.get(object_id=str(body["id"]), changes__status__1="withdrawn")
    assert log.actor == kenya_secretariat and log.source == ChangeLog.Source.API
    assert log.changes["withdrawal_reason"] == ["", "Superseded by the 2027 brief."]
    assert client.get(decided.json()["public_url"]).status_code == 404


def test_withdrawing_a_release_in_clearance_voids_its_round(client, kenya, kenya_secretariat):
    client.force_login(kenya_secretariat)
    url = f"{API}/{propose(client, document(kenya))['id']}/"
    post(client, f"{url}clearance/", {"procedure": "silence"})
    withdrawn = post(client, f"{url}withdraw/", {"reason": "Not now."})
    assert withdrawn.status_code == 200 and withdrawn.json()["rounds"][0]["outcome"] == "voided"
    assert post(client, f"{url}answer/", {"organisation": "ILO", "answer": "cleared"}).status_code == 400


def test_the_secretariat_lists_what_may_be_proposed(client, kenya, kenya_secretariat, kenya_member):
    brief = document(kenya)
    decision = adopted_decision(kenya, title="Adopted")
    client.force_login(kenya_secretariat)
    kinds = {k["kind"]: k for k in client.get(f"{API}/candidates/").json()}
    assert kinds["library.document"]["kind_label"] == "Document"
    assert kinds["library.document"]["records"] == [
        {"record": f"library.document:{brief.pk}", "title": "Policy brief"}
    ]
    assert kinds["decisions.decision"]["records"][0]["title"] == f"{decision.number} Adopted"
    propose(client, brief)
    assert "library.document" not in {k["kind"] for k in client.get(f"{API}/candidates/").json()}
    client.force_login(kenya_member)
    assert client.get(f"{API}/candidates/").status_code == 403


def test_what_cannot_be_done_now_is_a_400_with_the_reason_and_changes_nothing(
    client, kenya, kazakhstan, kenya_secretariat
):
    brief = document(kenya)
    draft = services.draft_statement(
        by=None,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title="Draft",
        texts={"en": {"text": "Text."}},
        authoritative_language="en",
    )
    elsewhere = document(kazakhstan, title="Kazakh brief")
    charter_powers.establish_working_group(network=kazakhstan, name="Kazakh TWG")  # by its decision
    foreign_decision = Decision.objects.get(network=kazakhstan)
    client.force_login(kenya_secretariat)
    proposed = f"{API}/{propose(client, brief)['id']}/"
    released = releases.propose_release(by=None, record=document(kenya, "Out"))
    releases.release_by_decision(by=None, release=released, decision=adopted_decision(kenya))
    withdrawn = releases.propose_release(by=None, record=document(kenya, "Gone"))
    releases.withdraw_release(by=None, release=withdrawn, reason="Gone")
    log, rounds, count = ChangeLog.objects.count(), Round.objects.count(), Release.objects.count()
    cases = [
        (f"{API}/", {"record": releases.reference(brief)}),  # already proposed
        (f"{API}/", {"record": releases.reference(draft)}),  # not issued
        (f"{API}/", {"record": releases.reference(elsewhere)}),  # another network's
        (f"{API}/", {"record": f"networks.network:{kenya.pk}"}),  # not a kind that is released
        (f"{API}/", {"record": "library.document:abc"}),
        (f"{API}/", {"record": "library.document:99999999999999999999999"}),
        (f"{API}/", {"record": "nonsense"}),
        (f"{API}/", {}),
        (f"{proposed}clearance/", {"procedure": "unanimous"}),
        (f"{proposed}clearance/", {"deadline": "2000-01-01T00:00:00Z"}),
        (f"{proposed}clearance/", {"deadline": "tomorrow"}),
        (f"{proposed}answer/", {"organisation": "ILO", "answer": "cleared"}),  # not in clearance
        (f"{proposed}decide/", {"decision": foreign_decision.number}),
        (f"{proposed}decide/", {"decision": "KEN/1999/001"}),
        (f"{proposed}decide/", {}),
        (f"{proposed}withdraw/", {"reason": ""}),
        (f"{proposed}withdraw/", {"reason": "   "}),
        (f"{API}/{released.pk}/clearance/", {"procedure": "silence"}),  # already released
        (f"{API}/{released.pk}/decide/", {"decision": released.decision.number}),
        (f"{API}/{withdrawn.pk}/withdraw/", {"reason": "Again"}),  # no longer live
        (f"{API}/{withdrawn.pk}/clearance/", {}),
    ]
    for address, data in cases:
        response = post(client, address, data)
        assert response.status_code == 400 and response.json(), (address, data, response.status_code)
    assert client.get(f"{API}/?kind=library.nothing").status_code == 400
    assert client.get(f"{API}/?status=nothing").status_code == 400
    assert (ChangeLog.objects.count(), Round.objects.count(), Release.objects.count()) == (log, rounds, count)
    assert Release.objects.get(pk=released.pk).status == "released"


def test_another_networks_release_is_404_even_to_its_secretariat(
    client, kenya, kenya_secretariat, kazakhstan_secretariat
):
    client.force_login(kenya_secretariat)
    release = propose(client, document(kenya))
    client.force_login(kazakhstan_secretariat)
    for url in (f"{API}/{release['id']}/", f"/api/v1/networks/kazakhstan/releases/{release['id']}/"):
        assert client.get(url).status_code == 404
        for action in ("clearance", "answer", "decide", "withdraw"):
            response = post(
                client, f"{url}{action}/", {"reason": "Mine", "organisation": "IOM", "answer": "cleared"}
            )
            assert response.status_code == 404, (url, action)
    assert client.get(f"{API}/").status_code == 404
    assert client.get("/api/v1/networks/kazakhstan/releases/").json()["results"] == []
    assert Release.objects.get().status == "proposed"


def test_members_read_releases_but_only_the_secretariat_acts(
    client, kenya, kenya_secretariat, kenya_member, seat
):
    ilo = seat(kenya, "executive-committee", "ILO")
    decision = adopted_decision(kenya)
    brief = document(kenya)
    client.force_login(kenya_secretariat)
    url = f"{API}/{propose(client, brief)['id']}/"
    post(client, f"{url}clearance/", {"procedure": "silence"})
    log = ChangeLog.objects.count()
    for member in (kenya_member, ilo):
        client.force_login(member)
        assert client.get(f"{API}/").json()["count"] == 1
        assert client.get(url).json()["status"] == "clearance"
        refused = [
            post(client, f"{API}/", {"record": releases.reference(decision)}),
            post(client, f"{url}clearance/", {}),
            post(client, f"{url}decide/", {"decision": decision.number}),
            post(client, f"{url}withdraw/", {"reason": "Mine"}),
            # A seat they do not hold, with or without saying how it was given.
            post(client, f"{url}answer/", {"organisation": "UNHCR", "answer": "cleared"}),
            post(client, f"{url}answer/", {"organisation": "UNHCR", "answer": "cleared", "channel": "email"}),
        ]
        for response in refused:
            assert response.status_code == 403 and response.json()["detail"], response.request["PATH_INFO"]
    assert ChangeLog.objects.count() == log
    assert not Clearance.objects.exclude(answer="").exists()
    assert Release.objects.get().status == "clearance"


def test_anonymous_callers_are_refused(client, kenya):
    release = releases.propose_release(by=None, record=document(kenya))
    assert client.get(f"{API}/").status_code in (401, 403)
    assert client.get(f"{API}/{release.pk}/").status_code in (401, 403)
    assert post(client, f"{API}/{release.pk}/withdraw/", {"reason": "x"}).status_code in (401, 403)
    assert Release.objects.get().status == "proposed"


def test_the_list_and_a_release_take_as_many_queries_however_many_there_are(client, kenya, kenya_secretariat):
    client.force_login(kenya_secretariat)
    decision = adopted_decision(kenya)

    def add(n):
        for i in range(n):
            release = releases.propose_release(
                by=None, record=document(kenya, f"Doc {Release.objects.count()}")
            )
            if i % 2:
                releases.release_by_decision(by=None, release=release, decision=decision)
            else:
                round = releases.put_release_to_clearance(by=None, release=release)
                for seat in round.clearances.select_related("organisation")[:3]:
                    services.answer_clearance(
                        by=kenya_secretariat,
                        round=round,
                        organisation=seat.organisation,
                        answer="cleared",
                        channel="email",
                    )
        return release

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    last = add(2)
    few = (count(f"{API}/"), count(f"{API}/{last.pk}/"))
    last = add(20)
    many = (count(f"{API}/"), count(f"{API}/{last.pk}/"))
    assert many == few, (few, many)
    assert max(many) <= 12, many
