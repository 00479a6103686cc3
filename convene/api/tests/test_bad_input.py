"""Bad input never answers 500: an id that is not a number, an id of nothing or of another network's
object, a value of the wrong type or too large for the database, each gets a 4xx with a reason."""

import datetime

import pytest
from django.utils import timezone

from convene.meetings import services as meetings
from convene.networks.models import Body, Membership
from convene.workplans import services as workplans

API = "/api/v1/networks/kenya"
HUGE = 2**70  # more than any database integer


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


@pytest.fixture
def api(client, kenya_secretariat):
    client.force_login(kenya_secretariat)
    return client


def _meeting(network, by, slug="network", **fields):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    return meetings.schedule_meeting(
        by=by,
        body=Body.objects.get(network=network, slug=slug),
        title="Meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        **fields,
    )


@pytest.mark.parametrize(
    "path",
    [
        "meetings/abc/",
        "meetings/1.5/",
        "meetings/abc/cancel/",
        "workplans/abc/",
        "activities/abc/",
        "reports/abc/",
        "reports/1/versions/x/",
        "memberships/abc/",
        "representatives/abc/",
        "proposals/abc/",
        "action-items/abc/",
        "decisions/abc/",
    ],
)
def test_non_numeric_id_is_404(api, kenya, path):
    response = api.get(f"{API}/{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"  # the API's answer, not the site's page
    assert response.json()["detail"]


@pytest.mark.parametrize("path", ["meetings", "workplans", "activities", "reports", "memberships"])
def test_id_beyond_any_database_integer_is_404(api, kenya, path):
    assert api.get(f"{API}/{path}/{HUGE}/").status_code == 404


def test_pages_with_a_non_numeric_id_are_404(api, kenya):
    for path in ("meetings/abc/", "workplans/abc/", "activities/abc/", "reports/abc/", "proposals/x/"):
        assert api.get(f"/n/kenya/{path}").status_code == 404


def test_pages_with_an_id_beyond_any_database_integer_are_404(api, kenya):
    for path in ("meetings", "workplans", "activities", "reports", "proposals", "actions"):
        assert api.get(f"/n/kenya/{path}/{HUGE}/").status_code == 404


@pytest.mark.parametrize("value", [0, -1, HUGE, "abc", "1.5", [1], {"id": 1}, True])
def test_link_to_meeting_that_is_not_one_is_400(api, kenya, kenya_secretariat, value):
    meeting = _meeting(kenya, kenya_secretariat)
    response = patch(api, f"{API}/meetings/{meeting.pk}/", {"unct_meeting": value})
    assert response.status_code == 400
    assert list(response.json()) == ["unct_meeting"]
    meeting.refresh_from_db()
    assert meeting.unct_meeting is None


def test_link_to_meeting_zero_is_400(api, kenya, kenya_secretariat):
    response = post(api, f"{API}/proposals/", {"title": "T", "text": "X", "meeting": 0})
    assert response.status_code == 400
    assert "No such meeting in this network" in response.json()["meeting"][0]


def test_link_to_another_networks_meeting_is_400(api, kenya, kazakhstan, kazakhstan_secretariat):
    elsewhere = _meeting(kazakhstan, kazakhstan_secretariat)
    response = post(api, f"{API}/proposals/", {"title": "T", "text": "X", "meeting": elsewhere.pk})
    assert response.status_code == 400
    assert "No such meeting in this network" in response.json()["meeting"][0]


def test_link_to_a_meeting_of_this_network_is_accepted(api, kenya, kenya_secretariat):
    unct = _meeting(kenya, kenya_secretariat, slug="unct", kind="ad_hoc")
    meeting = _meeting(kenya, kenya_secretariat)
    response = patch(api, f"{API}/meetings/{meeting.pk}/", {"unct_meeting": unct.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["unct_meeting"] == unct.pk


@pytest.mark.parametrize("value", [0, HUGE, "x"])
def test_link_to_minutes_item_that_is_not_one_is_400(api, kenya, value):
    response = post(
        api,
        f"{API}/action-items/",
        {"title": "T", "owner_organisation": "IOM", "due_date": "2027-01-01", "minutes_item": value},
    )
    assert response.status_code == 400
    assert "minutes_item" in response.json()


@pytest.mark.parametrize("value", [0, HUGE, "x"])
def test_representative_for_a_membership_that_is_not_one_is_400(api, kenya, kazakhstan, value):
    response = post(api, f"{API}/representatives/", {"membership": value, "email": "a@example.org"})
    assert response.status_code == 400
    assert "membership" in response.json()


def test_representative_for_another_networks_membership_is_400(api, kenya, kazakhstan):
    elsewhere = Membership.objects.filter(body__network=kazakhstan).first()
    response = post(api, f"{API}/representatives/", {"membership": elsewhere.pk, "email": "a@example.org"})
    assert response.status_code == 400
    assert "No such membership in this network" in response.json()["membership"][0]


@pytest.mark.parametrize("value", [0, HUGE, "x"])
def test_activity_in_a_workplan_that_is_not_one_is_400(api, kenya, value):
    response = post(
        api,
        f"{API}/activities/",
        {"workplan": value, "code": "1", "title": "T", "lead_organisation": "IOM", "start_quarter": 1,
         "end_quarter": 1},
    )  # fmt: skip
    assert response.status_code == 400
    assert "workplan" in response.json()


def test_gcm_objective_beyond_any_database_integer_is_400(api, kenya, kenya_secretariat):
    workplan = workplans.create_workplan(by=kenya_secretariat, network=kenya, year=2027)
    response = post(
        api,
        f"{API}/activities/",
        {"workplan": workplan.pk, "code": "1", "title": "T", "lead_organisation": "IOM", "start_quarter": 1,
         "end_quarter": 1, "gcm_objectives": [HUGE]},
    )  # fmt: skip
    assert response.status_code == 400
    assert "gcm_objectives" in response.json()


@pytest.mark.parametrize("query", [f"limit={HUGE}", f"offset={HUGE}", f"limit=10&offset={HUGE}"])
def test_paging_beyond_any_database_integer_is_not_a_server_error(api, kenya, query):
    response = api.get(f"{API}/memberships/?{query}")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("query", [f"year={HUGE}", f"workplan={HUGE}", "workplan=x", f"year=-{HUGE}"])
def test_filters_beyond_any_database_integer_are_not_a_server_error(api, kenya, query):
    for path in ("workplans", "activities", "decisions"):
        assert api.get(f"{API}/{path}/?{query}").status_code in (200, 400)


@pytest.mark.parametrize("path", ["/api/v1/nowhere/", "/api/v1/networks/a%0Ab/meetings/1/", "/api/v1/x%0A"])
def test_unknown_api_address_is_a_json_404(api, db, path):
    response = api.patch(path, {}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("body", [[{"title": "x"}], 5, "title"])
def test_changing_an_action_item_with_a_body_that_is_not_an_object_is_400(
    api, kenya, kenya_secretariat, body
):
    from convene.decisions import services as decisions
    from convene.networks.models import Organisation

    item = decisions.create_action_item(
        by=kenya_secretariat,
        network=kenya,
        title="Follow up",
        owner_organisation=Organisation.objects.get(acronym="IOM", country=""),
        due_date=datetime.date(2027, 1, 1),
    )
    assert patch(api, f"{API}/action-items/{item.pk}/", body).status_code == 400


@pytest.mark.parametrize("body", [{"title": {"a": 1}}, {"title": ["a"]}, ["title"]])
def test_changing_a_workplan_with_a_title_that_is_not_text_is_400(api, kenya, kenya_secretariat, body):
    workplan = workplans.create_workplan(by=kenya_secretariat, network=kenya, year=2027, title="Plan")
    assert patch(api, f"{API}/workplans/{workplan.pk}/", body).status_code == 400
    workplan.refresh_from_db()
    assert workplan.title == "Plan"
