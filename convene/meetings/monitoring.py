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

from convene.core.dates import show_date
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


def _tracked_since(structure: Structure) -> datetime.date:
    """The day the network was set up here: nothing before it is counted against it."""
    return structure.network.today(structure.network.created_at)


def _with_unct(meetings: list[Meeting]) -> str:
    """Kazakhstan meets "whenever possible in conjunction with the UN Country Team meetings"."""
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    return " " + _("%(n)d of %(total)d meetings held this year were held with a UNCT meeting.") % {
        "n": sum(1 for m in held if m.unct_meeting_id),
        "total": len(held),
    }


@evaluator(Rule.Kind.MEETING_FREQUENCY)
def quarterly(rule: Rule, structure: Structure):
    """Met once this quarter has a meeting held or scheduled; before that, missed if the previous
    quarter had none held, due otherwise."""
    body_id, today = _rule_body(rule, structure), _today(structure)
    meetings = [m for m in facts(structure) if m.body_id == body_id]
    quarter = Quarter.of(today)
    previous = quarter.previous
    extra = ""
    if (rule.params or {}).get("with_unct_preferred"):
        extra = _with_unct([m for m in meetings if _local(m).year == today.year])
    in_previous = [m for m in meetings if previous.start <= _local(m) <= previous.end]
    previous_missed = _tracked_since(structure) <= previous.start and not any(
        m.status == Meeting.Status.HELD for m in in_previous
    )
    current = [m for m in meetings if quarter.start <= _local(m) <= quarter.end]
    held = [m for m in current if m.status == Meeting.Status.HELD]
    before = " " + _("%(q)s: no meeting held.") % {"q": previous} if previous_missed else ""
    if held:
        return "met", _("%(q)s: held on %(d)s.") % {
            "q": quarter,
            "d": show_date(_local(held[-1])),
        } + before + extra
    if current:
        return "met", _("%(q)s: scheduled for %(d)s.") % {
            "q": quarter,
            "d": show_date(_local(current[0])),
        } + before + extra
    if previous_missed:
        return "missed", _("%(q)s: no meeting held.") % {"q": previous} + " " + _(
            "%(q)s: no meeting scheduled yet."
        ) % {"q": quarter} + extra
    return "due", _("%(q)s: no meeting scheduled; the quarter ends on %(d)s.") % {
        "q": quarter,
        "d": show_date(quarter.end),
    } + extra


def _with_stakeholders(meetings: list[Meeting], required: bool) -> list[Meeting]:
    return [m for m in meetings if m.external_stakeholders.strip()] if required else meetings


@evaluator(Rule.Kind.ANNUAL_MEETING)
def annual(rule: Rule, structure: Structure):
    """Met once this year's annual meeting is held or scheduled (Kazakhstan: with other relevant
    stakeholders invited, `external_stakeholders`); missed when last year had none."""
    body_id, today = _rule_body(rule, structure), _today(structure)
    stakeholders = bool((rule.params or {}).get("external_stakeholders"))
    annual_meetings = [m for m in facts(structure) if m.body_id == body_id and m.kind == Meeting.Kind.ANNUAL]
    this_year = [m for m in annual_meetings if _local(m).year == today.year]
    last_year = [
        m
        for m in _with_stakeholders(annual_meetings, stakeholders)
        if _local(m).year == today.year - 1 and m.status == Meeting.Status.HELD
    ]
    last_missed = _tracked_since(structure).year < today.year and not last_year
    before = " " + _("No annual meeting in %(y)d.") % {"y": today.year - 1} if last_missed else ""
    counted = _with_stakeholders(this_year, stakeholders)
    if held := [m for m in counted if m.status == Meeting.Status.HELD]:
        return "met", _("Held on %(d)s.") % {"d": show_date(_local(held[-1]))} + before
    if counted:
        return "met", _("Scheduled for %(d)s.") % {"d": show_date(_local(counted[0]))} + before
    if last_missed:
        return "missed", _("No annual meeting in %(y)d.") % {"y": today.year - 1}
    if this_year:
        # Scheduled, but nobody beyond the members is invited yet.
        return "due", _("%(d)s: invite the other relevant stakeholders the charter names.") % {
            "d": show_date(_local(this_year[0]))
        }
    return "due", _("No annual meeting scheduled for %(y)d yet.") % {"y": today.year}


@evaluator(Rule.Kind.MINUTES)
def agendas_and_minutes(rule: Rule, structure: Structure):
    """Days the agenda went out ahead of each of the last held meetings, days after it the minutes
    did. Missed when a past one was late; due when an agenda or minutes are owed and still in time."""
    params = rule.params or {}
    ahead_target = int(params.get("agenda_days_before", AGENDA_DAYS_BEFORE))
    after_target = int(params.get("minutes_days_after", MINUTES_DAYS_AFTER))
    now = timezone.now()
    # The UNCT's own meetings are recorded (to say a meeting was held with one) but the network's
    # Secretariat neither circulates their agendas nor writes their minutes.
    unct = {b.pk for b in structure.bodies if b.kind == Body.Kind.UNCT}
    meetings = [m for m in facts(structure) if m.body_id not in unct]
    held = [m for m in meetings if m.status == Meeting.Status.HELD][-4:]
    owed = [
        m
        for m in meetings
        if m.status != Meeting.Status.HELD
        and m.starts_at > now
        and not m.agenda_circulated_at
        and m.starts_at - now <= datetime.timedelta(days=ahead_target + 7)
    ]
    owed_text = (
        " "
        + _("Agenda to circulate by %(d)s: %(m)s.")
        % {
            "d": show_date(
                min(structure.network.today(m.starts_at) for m in owed)
                - datetime.timedelta(days=ahead_target)
            ),
            "m": ", ".join(m.title for m in owed),
        }
        if owed
        else ""
    )
    if not held:
        return ("due" if owed else "met"), _("No meeting held yet.") + owed_text
    late_minutes = [
        m for m in held if (m.minutes_out or now) - m.ends_at > datetime.timedelta(days=after_target)
    ]
    pending_minutes = [m for m in held if not m.minutes_out and m not in late_minutes]
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
    late_agendas = [
        m
        for m in held
        if not m.agenda_circulated_at
        or m.starts_at - m.agenda_circulated_at < datetime.timedelta(days=ahead_target)
    ]
    if late_minutes:
        return "missed", detail + " " + _("Minutes late: %(m)s.") % {
            "m": ", ".join(m.title for m in late_minutes)
        } + owed_text
    if late_agendas:
        return "missed", detail + " " + _("Agenda late or not circulated: %(m)s.") % {
            "m": ", ".join(m.title for m in late_agendas)
        } + owed_text
    if pending_minutes:
        return "due", detail + " " + _("Minutes due by %(d)s: %(m)s.") % {
            "d": show_date(
                min(structure.network.today(m.ends_at) for m in pending_minutes)
                + datetime.timedelta(days=after_target)
            ),
            "m": ", ".join(m.title for m in pending_minutes),
        } + owed_text
    if owed:
        return "due", detail + owed_text
    return "met", detail


@evaluator(Rule.Kind.REPRESENTATION, replaces=True)
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
            "d": show_date(_local(last)),
            "orgs": ", ".join(missing),
        }
    return "met", _("%(d)s: every member was represented.") % {"d": show_date(_local(last))}
