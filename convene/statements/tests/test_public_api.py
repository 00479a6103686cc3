"""The public API: a network's profile and what it released, without sign-in, as the public page
shows them; reading only, cacheable for five minutes; anything not released is a 404."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.decisions import services as decisions
from convene.library.services import upload_document
from convene.networks.models import Organisation
from convene.statements import releases, services
from convene.statements.models import Release, Statement

PUBLIC = "/api/v1/public/kenya"


def document(network, title="Policy brief"):
    return upload_document(
        by=None, network=network, upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief"), title=title
    )


def adopted_decision(network, title="Publish the brief"):
    proposal = decisions.propose(
        by=None, network=network, body=network.bodies.get(slug="executive-committee"), title=title, text="T"
    )
    decisions.close_proposal(by=None, proposal=proposal)
    return proposal.decision


def released(record, **fields) -> Release:
    release = releases.propose_release(by=None, record=record, **fields)
    return releases.release_by_decision(by=None, release=release, decision=adopted_decision(record.network))


def test_the_profile_names_the_mission_and_member_agencies_not_people_nor_working_groups(client, kenya, seat):
    seat(kenya, "network", "FAO", email="private.person@fao.test")
    response = client.get(f"{PUBLIC}/", HTTP_ACCEPT_LANGUAGE="sw")
    assert response.status_code == 200
    profile = response.json()
    assert profile["slug"] == "kenya" and profile["name_localised"] == kenya.localised("name", "sw")
    assert profile["mission_localised"] == kenya.localised("mission", "sw")
    bodies = {b["kind"]: b for b in profile["structure"]}
    assert "working_group" not in bodies and {"plenary", "executive"} <= set(bodies)
    assert "FAO" in {o["acronym"] for o in bodies["plenary"]["organisations"]}
    coordinator = [o for b in profile["structure"] for o in b["organisations"] if o["role"] == "coordinator"]
    assert [o["acronym"] for o in coordinator] == ["IOM"]
    assert "private.person" not in response.content.decode() and "FAO person" not in response.content.decode()
    assert profile["page"] == "http://testserver/p/kenya/"
    assert profile["releases"] == "http://testserver/api/v1/public/kenya/releases/"
    assert response["Content-Language"] == "sw"


def test_a_released_record_is_listed_with_its_local_date_and_file(client, kenya):
    brief = document(kenya)
    release = released(brief, title="Our brief", summary="On labour migration.")
    # 22:30 UTC is already the next day in Nairobi.
    Release.objects.filter(pk=release.pk).update(
        released_at=datetime.datetime(2026, 6, 15, 22, 30, tzinfo=datetime.UTC)
    )
    listing = client.get(f"{PUBLIC}/releases/")
    assert listing.status_code == 200
    assert "public" in listing["Cache-Control"] and "max-age=300" in listing["Cache-Control"]
    assert "Accept-Language" in listing["Vary"]
    (item,) = listing.json()["results"]
    assert item == {
        "id": release.pk,
        "title": "Our brief",
        "summary": "On labour migration.",
        "kind": "library.document",
        "kind_label": "Document",
        "released_on": "2026-06-16",
        "url": f"http://testserver/p/kenya/{release.pk}/",
        "file_url": f"http://testserver/p/kenya/{release.pk}/file",
    }
    detail = client.get(f"{PUBLIC}/releases/{release.pk}/").json()
    assert detail["files"] == [{"language": None, "url": item["file_url"]}] and detail["text"] is None
    assert client.get(item["file_url"]).content.startswith(b"%PDF")
    head = client.head(f"{PUBLIC}/releases/{release.pk}/")
    assert head.status_code == 200 and head.content == b""


def test_a_public_statement_reads_in_the_readers_language_with_a_file_per_language(client, kenya, seat):
    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator")
    statement = services.draft_statement(
        by=None,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title="World Migrants Day",
        texts={"en": {"text": "We stand together."}, "sw": {"title": "Siku", "text": "Tunasimama pamoja."}},
        authoritative_language="en",
        audience=Statement.Audience.PUBLIC,
    )
    round = services.put_to_clearance(by=None, statement=statement)
    services.close_round(by=None, round=round, now=round.deadline + datetime.timedelta(seconds=1))
    statement.refresh_from_db()
    services.sign_off(
        by=coordinator, statement=statement, organisation=Organisation.objects.get(acronym="IOM")
    )
    release = releases.live_release(statement)
    url = f"{PUBLIC}/releases/{release.pk}/"
    swahili = client.get(url, HTTP_ACCEPT_LANGUAGE="sw").json()
    assert swahili["text"] == {"language": "sw", "title": "Siku", "text": "Tunasimama pamoja."}
    assert (
        swahili["signatory_line"] == kenya.localised("name", "sw")
        and swahili["kind"] == "statements.statement"
    )
    assert swahili["languages"] == ["en", "sw"]
    files = {f["language"]: f["url"] for f in swahili["files"]}
    assert files["sw"] == f"http://testserver/p/kenya/{release.pk}/file?lang=sw"
    # In a language it is not written in: its authoritative one.
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()["text"]["language"] == "en"
    english, kiswahili = client.get(files["en"]), client.get(files["sw"], HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Type"] == "application/pdf" and kiswahili["Content-Type"] == "application/pdf"
    assert english["Content-Disposition"] != kiswahili["Content-Disposition"]  # named for its language


def test_what_is_not_released_is_404_and_nothing_is_written(client, kenya, kazakhstan):
    proposed = releases.propose_release(by=None, record=document(kenya, "Proposed brief"))
    in_clearance = releases.propose_release(by=None, record=document(kenya, "Asked brief"))
    releases.put_release_to_clearance(by=None, release=in_clearance)
    withdrawn = released(document(kenya, "Withdrawn brief"))
    releases.withdraw_release(by=None, release=withdrawn, reason="Superseded.")
    kept = released(document(kenya, "Kept brief"))
    listing = client.get(f"{PUBLIC}/releases/").json()
    assert [r["title"] for r in listing["results"]] == ["Kept brief"]
    for release in (proposed, in_clearance, withdrawn):
        response = client.get(f"{PUBLIC}/releases/{release.pk}/")
        assert response.status_code == 404 and response.json()["detail"]
        assert client.get(f"/p/kenya/{release.pk}/file").status_code == 404
    assert client.get(f"/api/v1/public/kazakhstan/releases/{kept.pk}/").status_code == 404  # another's
    assert client.get("/api/v1/public/kazakhstan/releases/").json()["results"] == []
    unknown = client.get("/api/v1/public/atlantis/")
    assert unknown.status_code == 404 and unknown.json()["detail"]
    assert client.get("/api/v1/public/atlantis/releases/").status_code == 404
    for url in (f"{PUBLIC}/", f"{PUBLIC}/releases/", f"{PUBLIC}/releases/{kept.pk}/"):
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, {}, content_type="application/json")
            assert response.status_code == 405, (method, url)
    assert Release.objects.get(pk=kept.pk).status == "released"


def test_credentials_are_not_needed_and_bad_ones_are_ignored(client, kenya, kenya_secretariat):
    kept = released(document(kenya))
    assert (
        client.get(f"{PUBLIC}/releases/{kept.pk}/", HTTP_AUTHORIZATION="Bearer cvn_nonsense").status_code
        == 200
    )
    client.force_login(kenya_secretariat)
    assert client.get(f"{PUBLIC}/releases/").json()["count"] == 1


def test_the_public_api_takes_as_many_queries_however_much_was_released(client, kenya):
    decision = adopted_decision(kenya)

    def add(n):
        for i in range(n):
            release = releases.propose_release(by=None, record=document(kenya, f"Doc {i}"))
            releases.release_by_decision(by=None, release=release, decision=decision)

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(2)
    few = count(f"{PUBLIC}/releases/"), count(f"{PUBLIC}/")
    add(30)
    many = count(f"{PUBLIC}/releases/"), count(f"{PUBLIC}/")
    assert many == few and max(many) <= 4, (few, many)


@pytest.mark.parametrize("path", ["releases/abc/", "releases/99999999999999999999999/", "nothing/"])
def test_bad_addresses_are_a_json_404(client, kenya, path):
    response = client.get(f"{PUBLIC}/{path}")
    assert response.status_code == 404 and response.json()["detail"]
