"""The status of each charter rule: met, due, missed, or in force (a power or principle).

Each kind of rule has an evaluator. Evaluators read the already loaded `Structure`, so the network
home costs no query per rule. Later capabilities (meetings, workplans) register evaluators for
the rules whose evidence they hold.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Body, Membership, Rule
from .queries import Structure


@dataclass
class RuleStatus:
    rule: Rule
    status: str  # one of STATUS_LABELS
    detail: str

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def needs_attention(self) -> bool:
        return self.status in ("due", "missed")


STATUS_LABELS = {
    "met": gettext_lazy("Met"),
    "due": gettext_lazy("Due"),
    "missed": gettext_lazy("Missed"),
    "in_force": gettext_lazy("In force"),
    "not_tracked": gettext_lazy("Not tracked yet"),
}

Evaluator = Callable[[Rule, Structure], tuple[str, str]]
EVALUATORS: dict[str, Evaluator] = {}

# Powers and principles: nothing to measure, the product applies them where they act.
IN_FORCE = {
    Rule.Kind.EXTRAORDINARY_MEETING,
    Rule.Kind.DECISION_MAKING,
    Rule.Kind.CONSULTATION,
    Rule.Kind.WORKING_GROUPS,
    Rule.Kind.CONFIDENTIALITY,
}


def evaluator(kind: str):
    def register(fn: Evaluator) -> Evaluator:
        EVALUATORS[kind] = fn
        return fn

    return register


def evaluate(rules, structure: Structure) -> list[RuleStatus]:
    results = []
    for rule in rules:
        if rule.kind in EVALUATORS:
            status, detail = EVALUATORS[rule.kind](rule, structure)
        elif rule.kind in IN_FORCE:
            status, detail = "in_force", _("Applied wherever it acts.")
        else:
            status, detail = "not_tracked", _("Monitored once the records it depends on are kept here.")
        results.append(RuleStatus(rule, status, detail))
    return results


@evaluator(Rule.Kind.MEMBERS_LIST)
def _members_list(rule: Rule, structure: Structure):
    interval = int((rule.params or {}).get("interval_days", 90))
    shared = structure.network.members_list_shared_at
    if shared is None:
        return "due", _("The members list has not been shared yet.")
    shared_on = structure.network.localtime(shared).date()
    next_due = shared_on + timedelta(days=interval)
    if next_due < structure.network.today():
        return "missed", _("Last shared %(date)s; was due again by %(due)s.") % {
            "date": shared_on,
            "due": next_due,
        }
    return "met", _("Last shared %(date)s; next by %(due)s.") % {"date": shared_on, "due": next_due}


@evaluator(Rule.Kind.MEMBERSHIP_APPROVAL)
def _membership_approval(rule: Rule, structure: Structure):
    pending = len(structure.applications)
    if pending:
        return "due", _("%(n)d application(s) awaiting a decision of %(body)s.") % {
            "n": pending,
            "body": rule.authority or _("the network"),
        }
    return "met", _("No application is waiting.")


@evaluator(Rule.Kind.CO_CHAIR_ROTATION)
def _co_chairs(rule: Rule, structure: Structure):
    groups = structure.working_groups
    if not groups:
        return "met", _("No working group yet.")
    today = structure.network.today()
    without = [
        g.name
        for g in groups
        if not any(
            m.role == Membership.Role.CO_CHAIR and (m.end_date is None or m.end_date >= today)
            for m in g.current_memberships
        )
    ]
    if without:
        return "due", _("Co-chairs to select: %(groups)s.") % {"groups": ", ".join(without)}
    return "met", _("Every working group has co-chairs in term.")


@evaluator(Rule.Kind.REPRESENTATION)
def _representation(rule: Rule, structure: Structure):
    if rule.body_id:
        body = next((b for b in structure.bodies if b.pk == rule.body_id), None)
    else:
        body = structure.body(Body.Kind.PLENARY)
    if body is None:
        return "met", _("No body to check.")
    missing = [
        str(m.organisation)
        for m in body.current_memberships
        if not any(r.kind == "principal" for r in m.representatives.all())
    ]
    if missing:
        return "due", _("No principal representative designated: %(orgs)s.") % {"orgs": ", ".join(missing)}
    return "met", _("Every member has a principal representative.")
