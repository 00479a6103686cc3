"""The charter's meeting rules, measured from the meeting records: quarters met or missed, the annual
meeting, how early agendas went out and how soon minutes followed, every member represented.

Registered with the network's rule monitor (convene.networks.monitoring) when the app loads. All
evaluators share one query's worth of meetings, kept on the loaded structure.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.networks.models import Body, Rule
from convene.networks.monitoring import evaluator
from convene.networks.queries import Structure

from .models import Attendance, Meeting

AGENDA_DAYS_BEFORE = 7  # defaults when the charter states no target
MINUTES_DAYS_AFTER = 14


@dataclass
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        following = Quarter(self.year + (self.number == 4), self.number % 4 + 1)
        return following.start - datetime.timedelta(days=1)

    @property
    def previous(self) -> "Quarter":
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def __str__(self) -> str:
        return f"Q{self.number} {self.year}"


def facts(structure: Structure) -> list[Meeting]:
    """The network's meetings since the start of last year (one query, cached on the structure)."""
    if not hasattr(structure, "_meetings"):
        since = datetime.datetime(timezone.now().year - 1, 1, 1, tzinfo=datetime.UTC)
        structure._meetings = list(
            Meeting.objects.filter(network=structure.network, starts_at__gte=since)
            .exclude(status=Meeting.Status.CANCELLED)
            .annotate(minutes_out=Min("minutes__circulated_at"))
            .order_by("starts_at")
        )
    return structure._meetings


def _local(meeting: Meeting) -> datetime.date:
    return meeting.local_start.date()


def _rule_body(rule: Rule, structure: Structure) -> int | None:
    if rule.body_id:
        return rule.body_id
    plenary = structure.body(Body.Kind.PLENARY)
    return plenary.pk if plenary else None


def _today(structure: Structure) -> datetime.date:
    return structure.network.today()


@evaluator(Rule.Kind.MEETING_FREQUENCY)
def quarterly(rule: Rule, structure: Structure):
    body_id, today = _rule_body(rule, structure), _today(structure)
    meetings = [m for m in facts(structure) if m.body_id == body_id]
    quarter = Quarter.of(today)
    previous = quarter.previous
    in_previous = [m for m in meetings if previous.start <= _local(m) <= previous.end]
    tracked_since = structure.network.localtime(structure.network.created_at).date()
    if tracked_since <= previous.start and not any(m.status == Meeting.Status.HELD for m in in_previous):
        return "missed", _("%(q)s: no meeting held.") % {"q": previous}
    current = [m for m in meetings if quarter.start <= _local(m) <= quarter.end]
    held = [m for m in current if m.status == Meeting.Status.HELD]
    if held:
        return "met", _("%(q)s: held on %(d)s.") % {"q": quarter, "d": _local(held[-1])}
    if current:
        return "met", _("%(q)s: scheduled for %(d)s.") % {"q": quarter, "d": _local(current[0])}
    return "due", _("%(q)s: no meeting scheduled; the quarter ends on %(d)s.") % {
        "q": quarter,
        "d": quarter.end,
    }


@evaluator(Rule.Kind.ANNUAL_MEETING)
def annual(rule: Rule, structure: Structure):
    body_id, today = _rule_body(rule, structure), _today(structure)
    annual_meetings = [m for m in facts(structure) if m.body_id == body_id and m.kind == Meeting.Kind.ANNUAL]
    this_year = [m for m in annual_meetings if _local(m).year == today.year]
    last_year = [m for m in annual_meetings if _local(m).year == today.year - 1]
    if structure.network.localtime(structure.network.created_at).year < today.year and not last_year:
        return "missed", _("No annual meeting in %(y)d.") % {"y": today.year - 1}
    if any(m.status == Meeting.Status.HELD for m in this_year):
        return "met", _("Held in %(y)d.") % {"y": today.year}
    if this_year:
        return "met", _("Scheduled for %(d)s.") % {"d": _local(this_year[0])}
    return "due", _("No annual meeting scheduled for %(y)d yet.") % {"y": today.year}


@evaluator(Rule.Kind.MINUTES)
def agendas_and_minutes(rule: Rule, structure: Structure):
    """Days the agenda went out ahead of each held meeting, days after it the minutes did."""
    params = rule.params or {}
    ahead_target = int(params.get("agenda_days_before", AGENDA_DAYS_BEFORE))
    after_target = int(params.get("minutes_days_after", MINUTES_DAYS_AFTER))
    now = timezone.now()
    held = [m for m in facts(structure) if m.status == Meeting.Status.HELD][-4:]
    if not held:
        return "met", _("No meeting held yet.")
    late_minutes = [
        m for m in held if (m.minutes_out or now) - m.ends_at > datetime.timedelta(days=after_target)
    ]
    ahead = [(m.starts_at - m.agenda_circulated_at).days for m in held if m.agenda_circulated_at]
    after = [(m.minutes_out - m.ends_at).days for m in held if m.minutes_out]
    detail = _(
        "Last %(n)d meetings: agenda out %(a)s days ahead (target %(ta)d), minutes %(m)s days after "
        "(target %(tm)d)."
    ) % {
        "n": len(held),
        "a": "/".join(map(str, ahead)) or "—",
        "ta": ahead_target,
        "m": "/".join(map(str, after)) or "—",
        "tm": after_target,
    }
    if late_minutes:
        return "missed", detail + " " + _("Minutes late: %(m)s.") % {
            "m": ", ".join(m.title for m in late_minutes)
        }
    if any(d < ahead_target for d in ahead) or len(ahead) < len(held):
        return "due", detail
    return "met", detail


@evaluator(Rule.Kind.REPRESENTATION)
def represented(rule: Rule, structure: Structure):
    """Every member represented at the last meeting held (Kazakhstan's rule). This replaces the
    networks app's check of designations, which cannot see meetings."""
    body_id = _rule_body(rule, structure)
    body = next((b for b in structure.bodies if b.pk == body_id), None)
    held = [m for m in facts(structure) if m.body_id == body_id and m.status == Meeting.Status.HELD]
    if body is None or not held:
        return "met", _("No meeting held yet.")
    last = held[-1]
    present = set(
        Attendance.objects.filter(meeting=last, status=Attendance.Status.PRESENT).values_list(
            "organisation_id", flat=True
        )
    )
    missing = sorted(
        {str(m.organisation) for m in body.current_memberships if m.organisation_id not in present}
    )
    if missing:
        return "missed", _("%(d)s: not represented: %(orgs)s.") % {
            "d": _local(last),
            "orgs": ", ".join(missing),
        }
    return "met", _("%(d)s: every member was represented.") % {"d": _local(last)}
