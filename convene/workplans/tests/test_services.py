"""Workplans: one per network or working group per year, adopted by a decision of the body the
charter names, activities that keep UN INFO's rules, indicators and quarterly progress."""

import pytest
from django.core.exceptions import ValidationError

from convene.decisions import services as decisions
from convene.decisions import testing as charter_powers
from convene.decisions.models import Decision
from convene.workplans import services
from convene.workplans.models import GcmObjective, GuidingPrinciple, SdgTarget, Workplan

from .conftest import org

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock


def test_the_reference_lists_are_loaded_from_the_sourced_files(db):
    assert GcmObjective.objects.count() == 23 and GuidingPrinciple.objects.count() == 10
    assert GcmObjective.objects.get(number=23).code == "GCM-O23"
    assert SdgTarget.objects.get(code="10.7").goal_title == "Reduced Inequalities"


def test_one_workplan_per_network_and_per_working_group_per_year(kenya, workplan):
    with pytest.raises(ValidationError, match="already has a workplan for 2027"):
        services.create_workplan(by=None, network=kenya, year=2027)
    group = charter_powers.establish_working_group(network=kenya, name="TWG Data")
    assert services.create_workplan(by=None, network=kenya, year=2027, working_group=group).title.startswith(
        "TWG Data"
    )
    with pytest.raises(ValidationError, match="already has a workplan"):
        services.create_workplan(by=None, network=kenya, year=2027, working_group=group)


def test_an_activity_keeps_un_infos_rules(workplan, activity_values):
    activity = services.add_activity(by=None, workplan=workplan, **activity_values())
    assert activity.gap == 10000
    assert [o.number for o in activity.gcm_objectives.all()] == [6, 7]
    bad = {
        "lead_organisation": activity_values(code="2", lead_organisation=org("UNRCCA")),
        "end_quarter": activity_values(code="2", start_quarter=3, end_quarter=1),
        "sdg_targets": activity_values(code="2", sdg_targets=list(SdgTarget.objects.all()[:11])),
        "gender_justification": activity_values(code="2", gender_justification=""),
        "funded": activity_values(code="2", funded=45000),
        "code": activity_values(),
    }
    for field, values in bad.items():
        with pytest.raises(ValidationError) as exc:
            services.add_activity(by=None, workplan=workplan, **values)
        assert field in exc.value.message_dict, (field, exc.value)
    assert workplan.activities.count() == 1


def test_a_workplan_is_adopted_by_the_decision_of_the_executive_committee(
    kenya, workplan, activity_values, kenya_secretariat
):
    with pytest.raises(ValidationError, match="Add the workplan's activities"):
        services.submit_workplan(by=kenya_secretariat, workplan=workplan)
    services.add_activity(by=None, workplan=workplan, **activity_values())
    with pytest.raises(ValidationError, match="in consultation with the members"):
        services.submit_workplan(by=kenya_secretariat, workplan=workplan)
    services.open_consultation(by=kenya_secretariat, workplan=workplan)
    proposal = services.submit_workplan(by=kenya_secretariat, workplan=workplan)
    assert proposal.body.slug == "executive-committee" and "1.1 Fair recruitment" in proposal.text
    with pytest.raises(ValidationError, match="already before"):
        services.submit_workplan(by=kenya_secretariat, workplan=workplan)
    decisions.close_proposal(by=kenya_secretariat, proposal=proposal)
    workplan.refresh_from_db()
    assert workplan.status == "adopted" and workplan.decision == Decision.objects.get()
    with pytest.raises(ValidationError, match="open a review"):
        services.add_activity(by=None, workplan=workplan, **activity_values(code="2"))
    services.start_review(by=None, workplan=workplan)
    services.add_activity(by=None, workplan=workplan, **activity_values(code="2"))
    services.close_workplan(by=None, workplan=workplan)
    assert Workplan.objects.get().status == "closed"


def test_kazakhstan_adopts_its_workplan_in_the_network(kazakhstan, seat):
    workplan = services.create_workplan(by=None, network=kazakhstan, year=2027)
    assert services.deciding_body(kazakhstan).slug == "network"
    assert workplan.title == "UNNM Kazakhstan workplan 2027"


def test_progress_is_one_update_per_quarter(workplan, activity_values):
    activity = services.add_activity(by=None, workplan=workplan, **activity_values())
    services.report_progress(
        by=None, activity=activity, year=2027, quarter=1, narrative="Started", percent=10, rag="green"
    )
    services.report_progress(
        by=None, activity=activity, year=2027, quarter=1, narrative="Delayed", percent=5, rag="amber"
    )
    [update] = activity.progress.all()
    assert (update.narrative, update.rag) == ("Delayed", "amber")
    with pytest.raises(ValidationError, match="0 to 100"):
        services.report_progress(
            by=None, activity=activity, year=2027, quarter=2, narrative="x", percent=120, rag="red"
        )


def test_indicators_disaggregate_only_where_declared(workplan, activity_values):
    activity = services.add_activity(by=None, workplan=workplan, **activity_values())
    indicator = services.add_indicator(
        by=None, activity=activity, name="Attachés trained", unit="people", baseline=0, target=40, by_sex=True
    )
    services.update_indicator(
        by=None, indicator=indicator, actual=25, actual_by_sex={"female": 12, "male": 13}
    )
    with pytest.raises(ValidationError, match="not disaggregated by age"):
        services.update_indicator(by=None, indicator=indicator, actual_by_age={"18-59": 25})
    with pytest.raises(ValidationError, match="zero or more"):
        services.update_indicator(by=None, indicator=indicator, actual_by_sex={"female": -1})
