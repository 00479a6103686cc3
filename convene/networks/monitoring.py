"""The status of each charter rule: met, due, missed, or in force (a power or principle).

Each kind of rule has an evaluator. Evaluators read the already loaded `Structure`, so the network
home costs no query per rule (an evaluator that needs other records makes one query for the whole
network, never one per body). Later capabilities (meetings, workplans, reports) register evaluators
for the rules whose evidence they hold.

"Due" means something is to be done before a deadline that has not passed; "missed" that a target
was not met; a rule whose figures meet its target is "met".
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db.models import BooleanField, ExpressionWrapper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.core.dates import add_months, show_date

from .models import Body, Membership, Organisation, Rule, body_live, in_term
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

    @property
    def own_targets(self) -> list[str]:
        """The targets the network set itself, where its Terms of Reference state none."""
        return own_targets(self.rule)


STATUS_LABELS = {
    "met": gettext_lazy("Met"),
    "due": gettext_lazy("Due"),
    "missed": gettext_lazy("Missed"),
    "in_force": gettext_lazy("In force"),
    "not_tracked": gettext_lazy("Not tracked yet"),
}
SEVERITY = {"met": 0, "due": 1, "missed": 2}

# How each parameter a network may set itself reads on the rule.
TARGET_LABELS = {
    "interval_days": gettext_lazy("shared at least every %s days"),
    "agenda_days_before": gettext_lazy("agenda out %s days before the meeting"),
    "minutes_days_after": gettext_lazy("minutes out within %s days of the meeting"),
    "warn_days": gettext_lazy("warned %s days before a term ends"),
    "adopt_by_quarter": gettext_lazy("adopted by the end of quarter %s of its year"),
    "interval_months": gettext_lazy("a report to each audience at least every %s months"),
    "silence_hours": gettext_lazy("silence procedures of %s hours"),
    # A parameter that reads differently on another kind of rule: (kind, name).
    (Rule.Kind.BRIEFINGS, "interval_months"): gettext_lazy("at least one every %s months"),
}


def own_targets(rule: Rule) -> list[str]:
    params = rule.params or {}
    return [
        str(TARGET_LABELS.get((rule.kind, name)) or TARGET_LABELS.get(name, f"{name}: %s")) % params[name]
        for name in params.get("chosen_by_network", [])
        if name in params
    ]


Evaluator = Callable[[Rule, Structure], tuple[str, str]]
EVALUATORS: dict[str, Evaluator] = {}

# Powers and principles: nothing to measure, the product applies them where they act.
IN_FORCE = {
    Rule.Kind.EXTRAORDINARY_MEETING,
    Rule.Kind.DECISION_MAKING,
    Rule.Kind.CONSULTATION,
    Rule.Kind.WORKING_GROUPS,
    Rule.Kind.CONFIDENTIALITY,
    Rule.Kind.STATEMENTS,
}


def evaluator(kind: str, *, replaces: bool = False):
    """Register the evaluator of a kind of rule. A second registration for the same kind is a
    mistake unless it says `replaces=True` (an app that holds better evidence than an earlier one)."""

    def register(fn: Evaluator) -> Evaluator:
        if kind in EVALUATORS and not replaces and EVALUATORS[kind] is not fn:
            raise ImproperlyConfigured(
                f"An evaluator for {kind!r} is already registered ({EVALUATORS[kind].__module__}); "
                "pass replaces=True to replace it."
            )
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
            if scope := (rule.params or {}).get("scope"):
                detail = _("Consulted on: %(scope)s.") % {"scope": scope}
        else:
            status, detail = "not_tracked", _("Monitored once the records it depends on are kept here.")
        results.append(RuleStatus(rule, status, detail))
    return results


@evaluator(Rule.Kind.MEMBERS_LIST)
def _members_list(rule: Rule, structure: Structure):
    network = structure.network
    interval = int((rule.params or {}).get("interval_days", 90))
    shared = network.members_list_shared_at
    if shared is None:
        first_due = network.today(network.created_at) + timedelta(days=interval)
        if first_due < network.today():
            return "missed", _("The members list has never been shared; it was due by %(due)s.") % {
                "due": show_date(first_due)
            }
        return "due", _("The members list has not been shared yet; share it by %(due)s.") % {
            "due": show_date(first_due)
        }
    shared_on = network.today(shared)
    next_due = shared_on + timedelta(days=interval)
    if next_due < network.today():
        return "missed", _("Last shared %(date)s; was due again by %(due)s.") % {
            "date": show_date(shared_on),
            "due": show_date(next_due),
        }
    return "met", _("Last shared %(date)s; next by %(due)s.") % {
        "date": show_date(shared_on),
        "due": show_date(next_due),
    }


@evaluator(Rule.Kind.MEMBERSHIP_APPROVAL)
def _membership_approval(rule: Rule, structure: Structure):
    pending = len(structure.applications)
    if pending:
        return "due", _("%(n)d application(s) awaiting a decision of %(body)s.") % {
            "n": pending,
            "body": rule.authority or _("the network"),
        }
    return "met", _("No application is waiting.")


# Co-chair rotation -----------------------------------------------------------------------------

CO_CHAIR_WARN_DAYS = 30  # when the charter sets no warning window


@dataclass
class Term:
    """One co-chair term of a working group: the organisations selected together for it."""

    start: datetime.date | None
    end: datetime.date | None
    organisations: list[Organisation]
    current: bool


def co_chair_terms(bodies: list[Body], today: datetime.date) -> dict[int, list[Term]]:
    """Every co-chair term of these bodies, oldest first, in one query.

    A term is current when it covers `today` in a live body; a term whose successors were selected
    ahead ends on its own date (its status is already "ended"), so status alone cannot say it.
    """
    rows = (
        Membership.objects.filter(
            body__in=bodies,
            role=Membership.Role.CO_CHAIR,
            status__in=[Membership.Status.ACTIVE, Membership.Status.ENDED],
        )
        .annotate(
            in_term=ExpressionWrapper(
                in_term(today) & body_live(today, "body__"), output_field=BooleanField()
            )
        )
        .select_related("organisation")
        .order_by("body_id", "start_date", "organisation__acronym")
    )
    terms: dict[int, list[Term]] = {}
    for m in rows:
        body_terms = terms.setdefault(m.body_id, [])
        if body_terms and body_terms[-1].start == m.start_date:
            term = body_terms[-1]
            term.organisations.append(m.organisation)
            term.end = max(term.end, m.end_date) if term.end and m.end_date else None
            term.current = term.current or m.in_term
        else:
            body_terms.append(Term(m.start_date, m.end_date, [m.organisation], bool(m.in_term)))
    return terms


def repeated_co_chairs(previous: Term | None, term: Term) -> list[Organisation]:
    """Organisations that co-chair a term right after co-chairing the one before it."""
    if previous is None:
        return []
    before = {o.pk for o in previous.organisations}
    return [o for o in term.organisations if o.pk in before]


def rotation_warning(body: Body) -> str:
    """Where the charter's rotation is annual, consecutive terms by one organisation break it: the
    warning shown wherever the next co-chairs are chosen ("" when there is nothing to warn of)."""
    if not body.network.rules.filter(kind=Rule.Kind.CO_CHAIR_ROTATION).exists():
        return ""
    if avoid := co_chairs_to_avoid(body):
        return _(
            "The co-chairs rotate: %(orgs)s co-chaired the last term; selecting them again breaks the annual "
            "rotation."
        ) % {"orgs": names(avoid)}
    return ""


def co_chairs_to_avoid(body: Body) -> list[Organisation]:
    """Organisations that would break an annual rotation if selected for the next term: the current
    (or latest) co-chairs of the working group."""
    terms = co_chair_terms([body], body.network.today()).get(body.pk, [])
    current = [t for t in terms if t.current]
    latest = current[-1] if current else (terms[-1] if terms else None)
    return latest.organisations if latest else []


def names(orgs) -> str:
    return ", ".join(str(o) for o in orgs)


def _group_rotation(group: Body, terms: list[Term], today: datetime.date, warn: int) -> tuple[str, str]:
    current = next((t for t in reversed(terms) if t.current), None)
    upcoming = [t for t in terms if t.start and t.start > today]
    if current is None:
        if upcoming:
            return "missed", _("%(g)s: no co-chairs until %(d)s.") % {
                "g": group,
                "d": show_date(upcoming[0].start),
            }
        if terms:
            return "missed", _("%(g)s: the term of %(orgs)s ended on %(d)s with no successor.") % {
                "g": group,
                "orgs": names(terms[-1].organisations),
                "d": show_date(terms[-1].end),
            }
        return "due", _("%(g)s: co-chairs to select.") % {"g": group}
    # The rotation is annual: the same organisation in two consecutive terms breaks it.
    index = terms.index(current)
    for earlier, later in [
        (terms[index - 1] if index else None, current),
        *zip(terms[index:-1], terms[index + 1 :], strict=True),
    ]:
        if repeated := repeated_co_chairs(earlier, later):
            return "missed", _("%(g)s: %(orgs)s co-chair(s) again from %(d)s; the rotation is annual.") % {
                "g": group,
                "orgs": names(repeated),
                "d": show_date(later.start),
            }
    end = current.end
    if end is None and current.start and group.co_chair_term_months:
        end = add_months(current.start, group.co_chair_term_months) - timedelta(days=1)
    if end is None:
        return "due", _("%(g)s: the term of %(orgs)s has no end date; the rotation is annual.") % {
            "g": group,
            "orgs": names(current.organisations),
        }
    successors = [t for t in upcoming if t.start <= end + timedelta(days=1)]
    if successors:
        return "met", _("%(g)s: %(orgs)s until %(d)s, then %(next)s.") % {
            "g": group,
            "orgs": names(current.organisations),
            "d": show_date(end),
            "next": names(successors[0].organisations),
        }
    if (end - today).days <= warn:
        return "due", _("%(g)s: the term of %(orgs)s ends on %(d)s; select their successors.") % {
            "g": group,
            "orgs": names(current.organisations),
            "d": show_date(end),
        }
    return "met", _("%(g)s: %(orgs)s until %(d)s.") % {
        "g": group,
        "orgs": names(current.organisations),
        "d": show_date(end),
    }


@evaluator(Rule.Kind.CO_CHAIR_ROTATION)
def _co_chairs(rule: Rule, structure: Structure):
    """Per working group: warned `warn_days` before the co-chairs' term ends, missed once it ended
    with no successor or when an organisation co-chairs two consecutive terms."""
    groups = structure.working_groups
    if not groups:
        return "met", _("No working group yet.")
    today = structure.network.today()
    warn = int((rule.params or {}).get("warn_days", CO_CHAIR_WARN_DAYS))
    terms = co_chair_terms(groups, today)
    results = [_group_rotation(g, terms.get(g.pk, []), today, warn) for g in groups]
    status = max((s for s, _d in results), key=SEVERITY.__getitem__)
    if status == "met":
        return "met", " ".join(d for _s, d in results)
    return status, " ".join(d for s, d in results if s != "met")


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
