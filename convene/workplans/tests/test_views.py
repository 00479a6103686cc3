"""Workplan pages end to end: create, add activities, put for adoption, report progress."""

import pytest
from django.urls import reverse
from django.utils import translation

from convene.core import audit
from convene.decisions import services as decisions
from convene.workplans import services
from convene.workplans.models import Activity, GcmObjective, Workplan

from .conftest import org

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock


def url(name, *args):
    return reverse(f"workplans:{name}", args=["kenya", *args])


def test_the_secretariat_builds_a_workplan_and_puts_it_for_adoption(client, kenya, kenya_secretariat):
    client.force_login(kenya_secretariat)
    response = client.post(url("list"), {"year": 2027, "title": "", "summary": ""})
    workplan = Workplan.objects.get()
    assert response.url == url("detail", workplan.pk) and workplan.title == "UNNM Kenya workplan 2027"
    response = client.post(
        url("activity_new", workplan.pk),
        {
            "code": "1.1",
            "title": "Labour migration data",
            "lead_organisation": org("ILO").pk,
            "participants": [org("IOM").pk],
            "start_quarter": 1,
            "end_quarter": 3,
            "status": "planned",
            "currency": "USD",
            "budget": "100000",
            "funded": "60000",
            "pipeline": "0",
            "gcm_objectives": [GcmObjective.objects.get(number=1).pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(url("detail", workplan.pk)).content.decode()
    assert "Labour migration data" in page and "40,000" in page  # the gap
    response = client.post(url("submit", workplan.pk), {"procedure": "meeting"})
    assert response.status_code == 200 and "ask the members for their views" in response.content.decode()
    client.post(url("consult", workplan.pk))
    response = client.post(url("submit", workplan.pk), {"procedure": "meeting"})
    workplan.refresh_from_db()
    assert workplan.proposal is not None and response.url.endswith(f"/proposals/{workplan.proposal_id}/")


def test_a_bad_activity_shows_what_is_wrong_and_saves_nothing(client, workplan, kenya_secretariat):
    client.force_login(kenya_secretariat)
    response = client.post(
        url("activity_new", workplan.pk),
        {
            "code": "1",
            "title": "Overfunded",
            "lead_organisation": org("ILO").pk,
            "start_quarter": 2,
            "end_quarter": 1,
            "status": "planned",
            "currency": "USD",
            "budget": "10",
            "funded": "20",
            "pipeline": "0",
            "gender_marker": "2",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot end before it starts" in page and "exceed the budget" in page and "Justify" in page
    assert not Activity.objects.exists()


def test_the_lead_organisation_reports_progress_and_others_cannot(
    client, workplan, activity_values, seat, kenya, kenya_member
):
    activity = services.add_activity(by=None, workplan=workplan, **activity_values())
    ilo = seat(kenya, "network", "ILO")
    client.force_login(ilo)
    form = {"year": 2027, "quarter": 1, "narrative": "Curriculum drafted", "percent": 20, "rag": "green"}
    assert client.post(url("activity", activity.pk), form).status_code == 302
    assert activity.progress.get().narrative == "Curriculum drafted"
    client.force_login(kenya_member)
    assert client.post(url("activity", activity.pk), form | {"narrative": "x"}).status_code == 403
    assert "Curriculum drafted" in client.get(url("activity", activity.pk)).content.decode()


def test_adopting_the_decision_adopts_the_workplan_shown_on_its_page(
    client, workplan, activity_values, kenya_secretariat
):
    services.add_activity(by=None, workplan=workplan, **activity_values())
    services.open_consultation(by=kenya_secretariat, workplan=workplan)
    proposal = services.submit_workplan(by=kenya_secretariat, workplan=workplan)
    decisions.close_proposal(by=kenya_secretariat, proposal=proposal)
    client.force_login(kenya_secretariat)
    page = client.get(url("detail", workplan.pk)).content.decode()
    assert "Adopted" in page and proposal.decision.number in page and "Open a review" in page


def test_an_indicator_disaggregated_by_sex_and_age(client, workplan, activity_values, kenya_secretariat):
    activity = services.add_activity(by=None, workplan=workplan, **activity_values())
    client.force_login(kenya_secretariat)
    form = {
        "name": "People trained",
        "unit": "people",
        "target": "40",
        "actual": "30",
        "by_sex": "on",
        "by_age": "on",
        "female": "14",
        "male": "16",
        "age_0_17": "0",
        "age_18_59": "28",
        "age_60": "2",
    }
    assert client.post(url("indicator_new", activity.pk), form).status_code == 302
    indicator = activity.indicators.get()
    assert indicator.actual_by_sex == {"female": 14, "male": 16}
    assert indicator.actual_by_age == {"0-17": 0, "18-59": 28, "60+": 2}
    assert "18-59: 28" in client.get(url("activity", activity.pk)).content.decode()


def test_review_and_close_an_adopted_workplan_from_its_page(
    client, workplan, kenya_secretariat, kenya_member
):
    Workplan.objects.filter(pk=workplan.pk).update(status="adopted")
    client.force_login(kenya_member)
    assert client.post(url("review", workplan.pk)).status_code == 403
    client.force_login(kenya_secretariat)
    client.post(url("review", workplan.pk))
    assert Workplan.objects.get().status == "under_review"
    client.post(url("close", workplan.pk))
    assert Workplan.objects.get().status == "closed"


def test_the_activities_table_is_cached_until_the_network_changes_and_then_shows_the_change(
    client, django_assert_max_num_queries, kenya, kenya_secretariat, workplan, activity_values
):
    """Served from the cache it costs fewer queries; every kind of change shows at once."""
    client.force_login(kenya_secretariat)
    activity = services.add_activity(by=kenya_secretariat, workplan=workplan, **activity_values())
    page = url("detail", workplan.pk)
    assert "Fair recruitment training" in client.get(page).content.decode()
    with django_assert_max_num_queries(10):  # the table's five queries spared
        assert "Fair recruitment training" in client.get(page).content.decode()

    services.update_activity(by=kenya_secretariat, activity=activity, title="Ethical recruitment")
    assert "Ethical recruitment" in client.get(page).content.decode()
    services.report_progress(
        by=kenya_secretariat,
        activity=activity,
        year=2027,
        quarter=1,
        narrative="Begun.",
        percent=40,
        rag="amber",
    )
    assert "40 % (Q1)" in client.get(page).content.decode()
    audit.save_changes(org("ILO"), by=None, network_id=None, fields={"acronym": "ILO-RENAMED"})
    assert "ILO-RENAMED" in client.get(page).content.decode()  # the shared registry changed
    with translation.override("fr"):
        lead = translation.gettext("Lead")
    assert (
        lead != "Lead"
        and f"<th>{lead}</th>" in client.get(page, headers={"accept-language": "fr"}).content.decode()
    )
    assert "<th>Lead</th>" in client.get(page).content.decode()  # each language its own table
    services.remove_activity(by=kenya_secretariat, activity=activity)
    assert "Ethical recruitment" not in client.get(page).content.decode()
