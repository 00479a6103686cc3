"""The REST API end to end: the same rules and permissions as the pages, 4xx with a reason on bad input."""

import re

import pytest

from convene.core.models import ChangeLog
from convene.networks.models import Body, Membership, Representative

API = "/api/v1/networks/kenya"


@pytest.fixture
def api(client, kenya_secretariat):
    client.force_login(kenya_secretariat)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_schema_and_docs_are_served_without_a_cdn(client, db):
    schema = client.get("/api/v1/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/networks/{network_slug}/memberships/{id}/decide/" in spec["paths"]
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs
    assert not re.search(r'(src|href)="https?://', docs)  # every asset from our own static files


def test_member_reads_but_cannot_write(client, kenya_member):
    client.force_login(kenya_member)
    bodies = client.get(f"{API}/bodies/").json()
    assert {b["slug"] for b in bodies["results"]} >= {"network", "executive-committee", "secretariat", "unct"}
    response = post(client, f"{API}/memberships/", {"body": "network", "organisation": "WFP"})
    assert response.status_code == 403


def test_filtering_and_pagination(api, kenya):
    committee = api.get(f"{API}/memberships/?body=executive-committee").json()
    assert committee["count"] == 8
    assert "UNDESA" in {m["organisation"] for m in committee["results"]}
    page = api.get(f"{API}/memberships/?limit=5").json()
    assert len(page["results"]) == 5 and page["count"] > 20 and "offset=5" in page["next"]
    orgs = api.get("/api/v1/organisations/?q=refugees").json()
    assert [o["acronym"] for o in orgs["results"]] == ["UNHCR"]


def test_secretariat_adds_a_membership_and_gets_reasons_for_bad_input(api, kenya):
    created = post(api, f"{API}/memberships/", {"body": "executive-committee", "organisation": "wfp"})
    assert created.status_code == 201 and created.json()["organisation"] == "WFP"
    again = post(api, f"{API}/memberships/", {"body": "executive-committee", "organisation": "WFP"})
    assert again.status_code == 400 and "already holds the role" in again.json()["detail"]
    unknown = post(api, f"{API}/memberships/", {"body": "executive-committee", "organisation": "NOPE"})
    assert unknown.status_code == 400 and "No organisation 'NOPE'" in unknown.json()["organisation"][0]
    nobody = post(api, f"{API}/memberships/", {"body": "senate", "organisation": "WFP"})
    assert nobody.status_code == 400 and "No such body" in nobody.json()["body"][0]
    dates = post(
        api,
        f"{API}/memberships/",
        {
            "body": "executive-committee",
            "organisation": "FAO",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
        },
    )
    assert dates.status_code == 400 and "end date" in str(dates.json())
    broken = api.post(f"{API}/memberships/", "{not json", content_type="application/json")
    assert broken.status_code == 400


def test_representatives_through_the_api(api, kenya):
    membership = Membership.objects.get(
        body__network=kenya, body__slug="network", organisation__acronym="WFP"
    )
    created = post(
        api,
        f"{API}/representatives/",
        {"membership": membership.pk, "email": "w@wfp.org", "full_name": "W. Person", "kind": "alternate"},
    )
    assert created.status_code == 201
    rep = created.json()
    assert rep["person"]["email"] == "w@wfp.org" and rep["organisation"] == "WFP" and rep["body"] == "network"
    patched = api.patch(
        f"{API}/representatives/{rep['id']}/", {"kind": "principal"}, content_type="application/json"
    )
    assert patched.json()["kind"] == "principal"
    listed = api.get(f"{API}/representatives/?organisation=wfp&current=true").json()
    assert listed["count"] == 1
    assert api.delete(f"{API}/representatives/{rep['id']}/").status_code == 204
    assert not Representative.objects.filter(pk=rep["id"]).exists()
    assert ChangeLog.objects.filter(content_type__model="representative").latest("id").source == "api"


def test_representative_of_a_non_member_is_a_400_with_the_reason(api, kenya):
    applied = post(api, f"{API}/memberships/apply/", {"organisation": "UN-Habitat"}).json()
    response = post(
        api,
        f"{API}/representatives/",
        {"membership": applied["id"], "email": "h@habitat.org", "full_name": "H"},
    )
    assert response.status_code == 400 and "not an active member" in response.json()["detail"]
    other = post(api, f"{API}/representatives/", {"membership": 999999, "email": "h@habitat.org"})
    assert other.status_code == 400 and "No such membership" in other.json()["membership"][0]


def _record(api, kenya, kind, **fields):
    """Kenya: the Executive Committee's decision taken elsewhere, recorded by the Secretariat."""
    data = {"kind": kind, "decided_on": kenya.today().isoformat(), "reference": "EC/1", "evidence": "minutes"}
    return post(api, f"{API}/decisions/record/", data | fields)


def test_application_and_decision(api, kenya):
    applied = post(
        api, f"{API}/memberships/apply/", {"organisation": "UN-Habitat", "applied_on": "2026-10-01"}
    )
    assert applied.status_code == 201 and applied.json()["status"] == "applied"
    direct = post(api, f"{API}/memberships/{applied.json()['id']}/decide/", {"approve": True})
    assert direct.status_code == 400  # the Executive Committee admits members
    assert _record(api, kenya, "admit_member", membership=applied.json()["id"]).status_code == 201
    decided = api.get(f"{API}/memberships/{applied.json()['id']}/").json()
    assert decided["status"] == "active" and decided["decided_by"] == "executive-committee"
    twice = post(api, f"{API}/memberships/{applied.json()['id']}/decide/", {"approve": False})
    assert twice.status_code == 400


def test_working_group_lifecycle(api, kenya):
    assert post(api, f"{API}/bodies/", {"name": "Returns TWG", "permanence": "ad_hoc"}).status_code == 400
    made = _record(
        api, kenya, "establish_working_group", payload={"name": "Returns TWG", "permanence": "ad_hoc"}
    )
    assert made.status_code == 201, made.json()
    group = Body.objects.get(network=kenya, name="Returns TWG")
    slug = group.slug
    assert group.co_chair_term_months == 12
    for acronym in ("ILO", "IOM"):
        post(api, f"{API}/memberships/", {"body": slug, "organisation": acronym})
    assert post(api, f"{API}/bodies/{slug}/co-chairs/", {"organisations": ["ILO"]}).status_code == 400
    chairs = _record(
        api,
        kenya,
        "select_co_chairs",
        working_group=slug,
        payload={"organisations": ["ILO"]},
    )
    assert chairs.status_code == 201
    co_chair = group.memberships.get(role="co_chair")
    assert (co_chair.end_date - co_chair.start_date).days in (364, 365)  # the charter's 12 months
    outsider = _record(
        api, kenya, "select_co_chairs", working_group=slug, payload={"organisations": ["UNICEF"]}
    )
    assert outsider.status_code == 400
    renamed = _record(
        api, kenya, "change_working_group", working_group=slug, payload={"focus": "Return and reintegration"}
    )
    assert renamed.status_code == 201
    group.refresh_from_db()
    assert group.focus == "Return and reintegration"
    not_a_group = api.patch(
        f"{API}/bodies/executive-committee/", {"focus": "x"}, content_type="application/json"
    )
    assert not_a_group.status_code == 400
    abolished = _record(api, kenya, "abolish_working_group", working_group=slug)
    assert abolished.status_code == 201
    group.refresh_from_db()
    assert group.abolished_on == kenya.today()
    assert not group.memberships.filter(status="active").exists()


def test_rules_come_with_their_status(api, kenya):
    rules = api.get(f"{API}/rules/").json()
    approval = next(r for r in rules if r["kind"] == "membership_approval")
    assert approval["status"] == "met" and approval["authority"] == "executive-committee"


def test_audit_log_is_for_the_secretariat(api, client, kenya, kenya_member):
    assert api.get(f"{API}/audit-log/").json()["count"] > 0
    client.force_login(kenya_member)
    assert client.get(f"{API}/audit-log/").status_code == 403


def test_registry_additions_by_a_secretariat_only(api, client, kenya_member):
    made = post(
        api,
        "/api/v1/organisations/",
        {"acronym": "KNCHR", "name": "Kenya NCHR", "kind": "government", "country": "KE"},
    )
    assert made.status_code == 201
    dup = post(
        api, "/api/v1/organisations/", {"acronym": "knchr", "name": "Other", "kind": "cso", "country": "KE"}
    )
    assert dup.status_code == 400 and "already in the registry" in dup.json()["detail"]
    client.force_login(kenya_member)
    assert (
        post(client, "/api/v1/organisations/", {"acronym": "X", "name": "X", "kind": "cso"}).status_code
        == 403
    )
