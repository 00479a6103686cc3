"""The charter's workplan rules measured from the workplans: Kenya's annual workplan adopted by the
end of the first quarter, Kazakhstan's SDG targets highlighted in the joint workplan."""

import pytest

from convene.core.dates import show_date
from convene.meetings.monitoring import Quarter
from convene.networks import monitoring
from convene.networks.models import Network, Rule
from convene.networks.queries import load_structure
from convene.workplans import services
from convene.workplans.models import SdgTarget, Workplan
from convene.workplans.tests.conftest import org

pytestmark = pytest.mark.clock


def status_of(network, key):
    network = Network.objects.get(pk=network.pk)
    [result] = monitoring.evaluate(network.rules.filter(key=key), load_structure(network))
    return result.status, result.detail


def test_kenyas_annual_workplan_is_due_until_the_first_quarter_ends_then_missed(kenya):
    today = kenya.today()
    status, detail = status_of(kenya, "annual-workplan")
    deadline = Quarter(today.year, 1).end
    assert status == ("due" if today <= deadline else "missed")
    assert f"No workplan for {today.year} yet." in detail and show_date(deadline) in detail


def test_kenyas_annual_workplan_adopted_is_met_whatever_the_date(kenya, activity_values):
    year = kenya.today().year
    plan = services.create_workplan(by=None, network=kenya, year=year)
    services.add_activity(by=None, workplan=plan, **activity_values())
    detail = status_of(kenya, "annual-workplan")[1]
    assert "draft with 1 activities" in detail and "not asked for their views yet" in detail
    services.open_consultation(by=None, workplan=plan)
    assert (
        f"Members asked for their views on {show_date(kenya.today())}: 0 given."
        in status_of(kenya, "annual-workplan")[1]
    )
    Workplan.objects.filter(pk=plan.pk).update(status=Workplan.Status.ADOPTED, adopted_on=kenya.today())
    status, detail = status_of(kenya, "annual-workplan")
    assert status == "met" and f"The {year} workplan was adopted on {show_date(kenya.today())}." == detail
    # Last year's or a working group's workplan does not count for this year.
    Workplan.objects.filter(pk=plan.pk).update(year=year - 1)
    assert status_of(kenya, "annual-workplan")[0] != "met"


def test_kazakhstan_sdg_acceleration_is_met_by_activities_with_sdg_targets(kazakhstan, activity_values):
    assert status_of(kazakhstan, "sdg-acceleration") == (
        "due",
        f"No workplan for {kazakhstan.today().year} yet.",
    )
    plan = services.create_workplan(by=None, network=kazakhstan, year=kazakhstan.today().year)
    untagged = activity_values(code="1.1", lead_organisation=org("IOM"), sdg_targets=[], participants=[])
    services.add_activity(by=None, workplan=plan, **untagged)
    assert status_of(kazakhstan, "sdg-acceleration")[0] == "due"
    tagged = activity_values(
        code="1.2",
        lead_organisation=org("UNDP"),
        participants=[],
        sdg_targets=list(SdgTarget.objects.all()[:3]),
    )
    services.add_activity(by=None, workplan=plan, **tagged)
    status, detail = status_of(kazakhstan, "sdg-acceleration")
    assert status == "met" and detail.startswith("1 of 2 activities")


def test_workplan_rules_are_no_longer_not_tracked(kenya, kazakhstan):
    for network in (kenya, kazakhstan):
        rules = list(network.rules.filter(kind=Rule.Kind.WORKPLAN))
        assert all(s.status != "not_tracked" for s in monitoring.evaluate(rules, load_structure(network)))
