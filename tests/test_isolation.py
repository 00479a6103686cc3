"""Every URL of a network, walked by people from another network, from nowhere and anonymous: never data.

The walk is generated from the URL configuration, so a new page or endpoint is covered the day it
is added. The Secretariat of the network walks it first, proving the addresses are real.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from convene.core.models import ChangeLog
from convene.core.testing import close_response
from convene.decisions import services as decision_services
from convene.decisions import testing as charter_powers
from convene.library.services import upload_document
from convene.meetings import services as meeting_services
from convene.meetings.models import AgendaItem
from convene.networks import services
from convene.networks.models import Membership, Organisation, Representative, Rule
from convene.reports import services as report_services
from convene.statements import releases as statement_releases
from convene.statements import services as statement_services
from convene.workplans import services as workplan_services


def network_routes():
    """(name, kwarg names) of every named URL pattern that takes a network."""

    def walk(patterns, namespace, kwargs):
        for p in patterns:
            names = set(p.pattern.regex.groupindex)
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, ns, kwargs | names)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}{p.name}", frozenset(kwargs | names)

    routes = {(name, kw) for name, kw in walk(get_resolver().url_patterns, "", set())}
    return sorted((name, kw) for name, kw in routes if "network_slug" in kw and "format" not in kw)


ROUTES = network_routes()


@pytest.fixture
def world(kenya, kazakhstan, seat):
    """Kenya with a working group and an external partner; people of every role."""
    secretariat = seat(kenya, "secretariat", "IOM", role="secretariat")
    group = charter_powers.establish_working_group(network=kenya, name="Secret TWG")
    membership = services.add_membership(
        by=None, body=group, organisation=Organisation.objects.get(acronym="ILO")
    )
    cso = services.create_organisation(by=None, acronym="CSO-K", name="Kenyan CSO", kind="cso", country="KE")
    services.add_membership(by=None, body=group, organisation=cso, role="external_partner")
    partner = seat(kenya, group.slug, "CSO-K", role="external_partner")
    rep = services.designate_representative(
        by=None, membership=membership, email="secret.person@ilo.org", full_name="Secret Person"
    )
    meeting = meeting_services.schedule_meeting(
        by=None,
        body=group,
        title="Secret TWG meeting",
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    item = meeting_services.suggest_agenda_item(by=None, meeting=meeting, title="Secret item")
    meeting_services.start_minutes(by=None, meeting=meeting)
    paper = upload_document(
        by=None,
        network=kenya,
        upload=SimpleUploadedFile("secret.pdf", b"%PDF Secret Person"),
        confidentiality="restricted",
        body=group,
    )
    application = services.apply_for_membership(
        by=None, network=kenya, organisation=Organisation.objects.get(acronym="UN-Habitat", country="")
    )
    proposal = decision_services.propose(
        by=None,
        network=kenya,
        body=kenya.bodies.get(slug="executive-committee"),
        title="Secret proposal",
        text="T",
    )
    consultation = decision_services.add_consultation(by=None, proposal=proposal, title="Secret consultation")
    proposal.documents.add(paper)
    ilo = Organisation.objects.get(acronym="ILO")
    decision_services.record_position(
        by=None, proposal=proposal, organisation=ilo, stance="object", reason="R"
    )
    decision_services.close_proposal(by=None, proposal=proposal)  # tabled to the UNCT
    adopted = decision_services.propose(
        by=None,
        network=kenya,
        body=kenya.bodies.get(slug="executive-committee"),
        title="Secret decision",
        text="T",
    )
    decision_services.close_proposal(by=None, proposal=adopted)
    action = decision_services.create_action_item(
        by=None, network=kenya, title="Secret action", owner_organisation=ilo, due_date=kenya.today()
    )
    workplan = workplan_services.create_workplan(by=None, network=kenya, year=2027, title="Secret workplan")
    activity = workplan_services.add_activity(
        by=None,
        workplan=workplan,
        code="1",
        title="Secret activity",
        lead_organisation=ilo,
        start_quarter=1,
        end_quarter=2,
    )
    indicator = workplan_services.add_indicator(by=None, activity=activity, name="Secret indicator")
    report = report_services.create_report(
        by=None,
        network=kenya,
        audience="unct",
        period="year",
        year=2027,
        title="Secret report",
        recipients=["r@un.test"],
    )
    report_services.issue_report(by=None, report=report)
    # A ministry the charter says to consult, its focal point, and a matter put to it.
    ministry = services.create_organisation(
        by=None, acronym="MOI-K", name="Kenyan Ministry", kind="government", country="KE"
    )
    consult = Rule.objects.create(
        network=kenya,
        key="consult-ministry",
        kind=Rule.Kind.CONSULTATION,
        title="Consult",
        organisation=ministry,
    )
    focal_point = decision_services.designate_focal_point(
        by=None, network=kenya, organisation=ministry, email="focal@ministry.ke", full_name="Focal Point"
    ).person
    consulted = decision_services.propose(
        by=None,
        network=kenya,
        body=kenya.bodies.get(slug="executive-committee"),
        title="Matter for the ministry",
        text="Consulted text",
        consultations=[consult],
    )
    statement = statement_services.draft_statement(
        by=None,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title="Secret statement",
        texts={"en": {"title": "", "text": "Secret statement text"}},
        authoritative_language="en",
        concerns_state=False,
    )
    statement_services.put_to_clearance(by=None, statement=statement)
    # A record the network agreed to make public (by decision), and the secret paper proposed only.
    brief = upload_document(
        by=None, network=kenya, upload=SimpleUploadedFile("brief.pdf", b"%PDF brief"), title="Public brief"
    )
    released = statement_releases.propose_release(by=None, record=brief)
    statement_releases.release_by_decision(by=None, release=released, decision=adopted.decision)
    statement_releases.propose_release(by=None, record=paper, title="Secret paper release")
    return {
        "released": released,
        "paper_release": statement_releases.live_release(paper),
        "kenya": kenya,
        "statement": statement,
        "report": report,
        "workplan": workplan,
        "activity": activity,
        "indicator": indicator,
        "proposal": proposal,
        "decision": adopted.decision,
        "consultation": consultation,
        "action": action,
        "group": group,
        "membership": membership,
        "application": application,
        "meeting": meeting,
        "item": item,
        "paper": paper,
        "rep": rep,
        "secretariat": secretariat,
        "partner": partner,
        "focal_point": focal_point,
        "consulted": consulted.consultations.get(),
        "other_network": seat(kazakhstan, "secretariat", "IOM", role="secretariat"),
        "other_network_member": seat(kazakhstan, "network", "UNFPA"),
        "nobody": type(secretariat).objects.create_user(
            email="nobody@example.org", password="x", full_name="Nobody"
        ),
    }


def url_for(name, kwargs, world):
    membership = world["application"] if name.endswith("application_decide") else world["membership"]
    values = {
        "network_slug": "kenya",
        "body_slug": world["group"].slug,
        "slug": world["group"].slug,
        "membership_id": membership.pk,
        "rep_id": world["rep"].pk,
        "pk": {
            "api:representative": world["rep"].pk,
            "api:meeting": world["meeting"].pk,
            "api:proposal": world["proposal"].pk,
            "api:decision": world["decision"].pk,
            "api:consultation": world["consultation"].pk,
            "api:action": world["action"].pk,
            "api:workplan": world["workplan"].pk,
            "api:activity": world["activity"].pk,
            "api:report": world["report"].pk,
            "api:statement": world["statement"].pk,
            "api:release": world["paper_release"].pk,
            "api:public": world["released"].pk,
        }.get(name.split("-")[0], membership.pk),
        "meeting_id": world["meeting"].pk,
        "item_id": world["item"].pk,
        "document_id": world["paper"].pk,
        "proposal_id": world["proposal"].pk,
        "consultation_id": world["consultation"].pk,
        "action_id": world["action"].pk,
        "workplan_id": world["workplan"].pk,
        "activity_id": world["activity"].pk,
        "indicator_id": world["indicator"].pk,
        "report_id": world["report"].pk,
        "statement_id": world["statement"].pk,
        "release_id": world["released"].pk,
        "version": 1,
    }
    url = reverse(name, kwargs={k: values[k] for k in kwargs})
    if name == "statements:release_new":
        url += f"?record=library.document:{world['paper'].pk}"
    return url


def test_the_walk_covers_pages_and_api():
    names = {name for name, _kw in ROUTES}
    assert {
        "networks:home",
        "networks:members_xlsx",
        "networks:audit_log",
        "api:body-list",
        "api:representative-detail",
        "api:membership-decide",
        "api:release-withdraw",
        "api:public-release-detail",
    } <= names


def test_the_secretariat_reaches_every_address(client, world):
    client.force_login(world["secretariat"])
    for name, kwargs in ROUTES:
        response = client.get(url_for(name, kwargs, world))
        close_response(response)  # downloads stream from a file
        assert response.status_code in (200, 405), (name, response.status_code)


LEAKS = (
    "Secret Person",
    "secret.person@ilo.org",
    "Secret TWG",
    "Kenya UN Network",
    "Secret item",
    "Secret proposal",
    "Secret action",
    "Secret workplan",
    "Secret activity",
    "Secret report",
    "Secret decision",
    "Secret statement",
    "Secret paper release",
)

# The public page and what it links to: anyone may read them, and they show released records only
# (the network's name is public there).
PUBLIC_PAGES = {
    "statements:public",
    "statements:public_feed",
    "statements:public_release",
    "statements:public_file",
    "api:public-network",
    "api:public-release-list",
    "api:public-release-detail",
}
PUBLIC_LEAKS = tuple(leak for leak in LEAKS if leak != "Kenya UN Network")


@pytest.mark.parametrize(
    "who", ["other_network", "other_network_member", "nobody", "anonymous", "focal_point"]
)
def test_outsiders_get_403_or_404_and_no_data(client, world, who):
    if who != "anonymous":
        client.force_login(world[who])
    log_size = ChangeLog.objects.count()
    for name, kwargs in ROUTES:
        url = url_for(name, kwargs, world)
        for method in ("get", "post", "patch", "delete"):
            response = getattr(client, method)(url, content_type="application/json")
            allowed = {403, 404, 405}
            if who == "focal_point" and name in CONSULTEE_PAGES and method == "get":
                allowed = {200}
            if name in PUBLIC_PAGES:
                allowed = {200} if method == "get" else {405}
                assert response.status_code in allowed, (who, method, url, response.status_code)
                body = response.content
                assert not any(leak.encode() in body for leak in PUBLIC_LEAKS), (who, method, url)
                continue
            if who == "anonymous":
                allowed |= {401} if url.startswith("/api/") else {302}
            assert response.status_code in allowed, (who, method, url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/")
            if response.status_code == 200:
                continue  # the focal point's own list, checked in its own test
            body = response.content.decode()
            assert not any(leak in body for leak in LEAKS), (who, method, url)
    assert ChangeLog.objects.count() == log_size
    assert Representative.objects.filter(pk=world["rep"].pk).exists()
    assert Membership.objects.get(pk=world["application"].pk).status == "applied"
    assert AgendaItem.objects.filter(pk=world["item"].pk, status="proposed").exists()


# What a ministry's focal point may open with the world's addresses: the list of consultations put
# to it (the world's own consultation is not theirs, so its pages are 404 to them).
CONSULTEE_PAGES = {"decisions:consultations", "api:consultation-list"}


def test_a_focal_point_sees_and_answers_only_the_consultations_put_to_their_ministry(client, world):
    client.force_login(world["focal_point"])
    consulted = world["consulted"]
    listing = client.get(reverse("decisions:consultations", args=["kenya"])).content.decode()
    assert "Matter for the ministry" in listing and "Secret" not in listing
    detail = reverse("decisions:consultation", args=["kenya", consulted.pk])
    assert "Consulted text" in client.get(detail).content.decode()
    api = client.get(f"/api/v1/networks/kenya/consultations/{consulted.pk}/").json()
    assert api["proposal"]["text"] == "Consulted text" and api["organisation"] == "MOI-K"
    secret = reverse("decisions:consultation", args=["kenya", world["consultation"].pk])
    assert client.get(secret).status_code == 404
    assert client.get(reverse("decisions:proposal", args=["kenya", consulted.proposal_id])).status_code == 404
    response = client.post(
        detail,
        {
            "consulted_on": world["kenya"].today().isoformat(),
            "consulted": "Director, Focal Point",
            "outcome": "No objection",
        },
    )
    assert response.status_code == 302
    consulted.refresh_from_db()
    assert (consulted.status, consulted.consulted, consulted.recorded_by) == (
        "done",
        "Director, Focal Point",
        world["focal_point"],
    )


# What a working group's external partner may open: the group, its meetings, suggesting an item.
PARTNER_PAGES = {
    "networks:home",
    "meetings:list",
    "meetings:detail",
    "meetings:agenda_item_new",
    "meetings:agenda_pdf",
    "meetings:agenda_docx",
    "meetings:pack",
    "meetings:minutes",
    "library:download",
    "api:meeting-list",
    "api:meeting-detail",
    "api:meeting-add-item",
    "api:meeting-attendance",
    "api:meeting-minutes",  # as the minutes page: the circulated and approved versions
    "api:meeting-minutes-comments",  # their own comments on their group's minutes, as on the page
}


def test_external_partner_sees_only_their_working_group(client, world):
    client.force_login(world["partner"])
    group_url = reverse("networks:body", args=["kenya", world["group"].slug])
    assert client.get(reverse("networks:home", args=["kenya"])).url == group_url
    assert client.get(group_url).status_code == 200
    for name, kwargs in ROUTES:
        url = url_for(name, kwargs, world)
        if url == group_url or name in PARTNER_PAGES or name in PUBLIC_PAGES:
            continue
        response = client.get(url)
        close_response(response)
        assert response.status_code in (403, 404, 405), (url, response.status_code)
    meeting = reverse("meetings:detail", args=["kenya", world["meeting"].pk])
    assert client.get(meeting).status_code == 200  # their own group's meeting
    executive = reverse("networks:body", args=["kenya", "executive-committee"])
    assert client.get(executive).status_code == 404


def test_unknown_network_is_a_clear_404(client, world):
    client.force_login(world["secretariat"])
    response = client.get("/n/atlantis/")
    assert response.status_code == 404
    api = client.get("/api/v1/networks/atlantis/bodies/")
    assert api.status_code == 404 and "no such network" in api.json()["detail"].lower()


def test_the_release_api_is_404_to_another_networks_members_even_under_their_own_network(client, world):
    """A Kenyan release's id, asked for in Kazakhstan's own API, is not found there either."""
    for who in ("other_network", "other_network_member"):
        client.force_login(world[who])
        for release in (world["released"], world["paper_release"]):
            for url in (
                f"/api/v1/networks/kenya/releases/{release.pk}/",
                f"/api/v1/networks/kazakhstan/releases/{release.pk}/",
            ):
                assert client.get(url).status_code == 404, (who, url)
                for action in ("clearance", "answer", "decide", "withdraw"):
                    response = client.post(
                        f"{url}{action}/", {"reason": "x"}, content_type="application/json"
                    )
                    assert response.status_code == 404, (who, url, action)
        listing = client.get("/api/v1/networks/kazakhstan/releases/")
        assert listing.status_code == 200 and listing.json()["results"] == []
    world["paper_release"].refresh_from_db()
    assert world["paper_release"].status == "proposed"
    # The public API of the other network does not answer for Kenya's released record either.
    assert client.get(f"/api/v1/public/kazakhstan/releases/{world['released'].pk}/").status_code == 404
