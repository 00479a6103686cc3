"""The charter's workplan rules, measured from the workplans kept here: Kenya's annual workplan
decided by the Executive Committee, Kazakhstan's migration in the UN joint workplans (activities
tagged with SDG targets). Registered with the network's rule monitor when the app loads; one query
for every workplan rule of the network.
"""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from convene.core.dates import show_date
from convene.meetings.monitoring import Quarter
from convene.networks.models import Rule
from convene.networks.monitoring import evaluator
from convene.networks.queries import Structure

from .models import Workplan

ADOPTED = (Workplan.Status.ADOPTED, Workplan.Status.UNDER_REVIEW, Workplan.Status.CLOSED)


def this_years_workplan(structure: Structure) -> Workplan | None:
    """The network's own workplan for its current year (not a working group's), with how many
    activities it has and how many carry SDG targets; loaded once per structure."""
    if not hasattr(structure, "_workplan"):
        structure._workplan = (
            Workplan.objects.filter(
                network=structure.network, working_group__isnull=True, year=structure.network.today().year
            )
            .select_related("proposal__body")
            .annotate(
                n_activities=Count("activities", distinct=True),
                n_sdg=Count("activities", filter=Q(activities__sdg_targets__isnull=False), distinct=True),
                n_views=Count("member_views", distinct=True),
            )
            .first()
        )
    return structure._workplan


def adoption_deadline(rule: Rule, year: int) -> datetime.date:
    """The last day to adopt the year's workplan: the end of the quarter the charter names (the
    network's own target: a year's work should not run a quarter without its plan), else the year's end."""
    quarter = int((rule.params or {}).get("adopt_by_quarter", 4))
    return Quarter(year, quarter).end


@evaluator(Rule.Kind.WORKPLAN)
def workplan_rule(rule: Rule, structure: Structure):
    if (rule.params or {}).get("sdg_targets"):
        return _sdg_targets(structure)
    return _adopted(rule, structure)


def _adopted(rule: Rule, structure: Structure):
    """Met once this year's workplan is adopted; due until the deadline, missed after it."""
    today = structure.network.today()
    plan = this_years_workplan(structure)
    if plan is not None and plan.status in ADOPTED:
        return "met", _("The %(y)d workplan was adopted on %(d)s.") % {
            "y": today.year,
            "d": show_date(plan.adopted_on),
        }
    deadline = adoption_deadline(rule, today.year)
    if plan is None:
        where = _("No workplan for %(y)d yet.") % {"y": today.year}
    elif plan.is_before_body:
        where = _("The %(y)d workplan is before %(body)s.") % {"y": today.year, "body": plan.proposal.body}
    else:
        where = _("The %(y)d workplan is a draft with %(n)d activities.") % {
            "y": today.year,
            "n": plan.n_activities,
        }
    if plan is not None and (rule.params or {}).get("consult_members"):
        if plan.consultation_opened_at:
            where += " " + _("Members asked for their views on %(d)s: %(n)d given.") % {
                "d": show_date(structure.network.today(plan.consultation_opened_at)),
                "n": plan.n_views,
            }
        else:
            where += " " + _("The members are not asked for their views yet.")
    if today <= deadline:
        return "due", where + " " + _("To be adopted by %(d)s.") % {"d": show_date(deadline)}
    return "missed", where + " " + _("It was to be adopted by %(d)s.") % {"d": show_date(deadline)}


def _sdg_targets(structure: Structure):
    """Kazakhstan: areas where migration accelerates the SDGs highlighted in the joint workplans."""
    year = structure.network.today().year
    plan = this_years_workplan(structure)
    if plan is None:
        return "due", _("No workplan for %(y)d yet.") % {"y": year}
    if plan.n_sdg:
        return "met", _(
            "%(n)d of %(total)d activities of the %(y)d workplan are tagged with SDG targets."
        ) % {
            "n": plan.n_sdg,
            "total": plan.n_activities,
            "y": year,
        }
    return "due", _("No activity of the %(y)d workplan is tagged with SDG targets yet.") % {"y": year}
