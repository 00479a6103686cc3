"""The figures of a report, read from the live records for a period: meetings held against what the
charter asks, attendance, decisions and their follow-up, workplan progress, GCM coverage, funding,
and the statements the network made with one voice. Everything returned is plain JSON, so an issued
report keeps it as it was. Days are the network's own (a decision adopted late on 31 March in
Nairobi belongs to the first quarter, whatever the server's clock says)."""

import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string

from convene.decisions.models import Decision, Escalation
from convene.decisions.monitoring import implementation_summary
from convene.meetings.models import Attendance, Meeting
from convene.meetings.monitoring import Quarter
from convene.networks.models import Membership, Network, Rule
from convene.statements.models import Delivery, Release, Statement
from convene.workplans import charts
from convene.workplans.models import Activity, ProgressUpdate, Workplan


def quarters_between(start: datetime.date, end: datetime.date) -> list[Quarter]:
    quarters, q = [], Quarter.of(start)
    while q.start <= end:
        quarters.append(q)
        q = Quarter(q.year + (q.number == 4), q.number % 4 + 1)
    return quarters


def _bounds(network: Network, start: datetime.date, end: datetime.date) -> dict:
    """The period as instants: from the first day's local midnight to the day after the last."""
    zone = network.zone
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return {"gte": first, "lt": after}


def _local_day(moment, zone) -> datetime.date:
    return moment.astimezone(zone).date()


def meeting_figures(network: Network, start: datetime.date, end: datetime.date, today: datetime.date) -> dict:
    zone = network.zone
    since = datetime.datetime.combine(start, datetime.time(), tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    held = list(
        Meeting.objects.filter(
            network=network, status=Meeting.Status.HELD, starts_at__gte=since, starts_at__lt=until
        )
        .select_related("body")
        .annotate(
            present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
            recorded=Count("attendance"),
        )
        .order_by("starts_at")
    )
    rules = []
    for rule in network.rules.filter(kind=Rule.Kind.MEETING_FREQUENCY, body__isnull=False).select_related(
        "body"
    ):
        quarters = quarters_between(start, end)
        met = {str(Quarter.of(_local_day(m.starts_at, zone))) for m in held if m.body_id == rule.body_id}
        rules.append(
            {
                "rule": rule.tr.title,
                "required": len(quarters),
                "met": sum(1 for q in quarters if str(q) in met),
                "missed": [str(q) for q in quarters if str(q) not in met and q.end < today],
            }
        )
    annual = network.rules.filter(kind=Rule.Kind.ANNUAL_MEETING).first()
    seats = dict(
        Membership.objects.filter(body_id__in={m.body_id for m in held}, status=Membership.Status.ACTIVE)
        .values_list("body_id")
        .annotate(n=Count("pk"))
    )
    with_attendance = [m for m in held if m.recorded]
    expected = sum(seats.get(m.body_id, 0) for m in with_attendance)
    rate = round(100 * sum(m.present for m in with_attendance) / expected) if expected else None
    return {
        "held": [
            {
                "title": m.title,
                "date": _local_day(m.starts_at, zone).isoformat(),
                "body": m.body.tr.name,
                "kind": m.get_kind_display(),
                "present": m.present,
                "recorded": m.recorded,
                "expected": seats.get(m.body_id, 0),
            }
            for m in held
        ],
        "rules": rules,
        "annual_required": annual is not None,
        "annual_held": any(m.kind == Meeting.Kind.ANNUAL for m in held),
        "attendance_rate": rate,
    }


def decision_figures(
    network: Network, start: datetime.date, end: datetime.date, today: datetime.date
) -> dict:
    summary = implementation_summary(network, today=today, start=start, end=end)
    period = _bounds(network, start, end)
    adopted = Decision.objects.filter(
        network=network, adopted_at__gte=period["gte"], adopted_at__lt=period["lt"]
    )
    escalated = Escalation.objects.filter(proposal__network=network, tabled_on__gte=start, tabled_on__lte=end)
    return {
        "summary": summary,
        "adopted": [
            {"number": d.number, "title": d.title, "how": d.get_adopted_by_display()}
            for d in adopted.order_by("year", "sequence")
        ],
        "escalated": [
            {
                "title": e.proposal.title,
                "tabled_on": e.tabled_on.isoformat(),
                "outcome": e.get_outcome_display(),
            }
            for e in escalated.select_related("proposal")
        ],
    }


def _money(value: Decimal) -> str:
    return f"{value:,.0f}"


def workplan_figures(network: Network, start: datetime.date, end: datetime.date) -> dict:
    """The network's workplans (and its working groups') for the years the period touches."""
    workplans = list(
        Workplan.objects.filter(network=network, year__gte=start.year, year__lte=end.year).select_related(
            "working_group", "decision"
        )
    )
    latest = ProgressUpdate.objects.filter(
        Q(year__lt=end.year) | Q(year=end.year, quarter__lte=Quarter.of(end).number)
    ).order_by("-year", "-quarter")
    activities = list(
        Activity.objects.filter(workplan__in=workplans)
        .select_related("lead_organisation", "working_group")
        .prefetch_related("gcm_objectives", Prefetch("progress", queryset=latest))
    )
    for a in activities:
        a.latest = next(iter(a.progress.all()), None)
    matrix = charts.coverage_matrix(activities)
    by_objective = charts.funding_by_objective(activities)
    totals = {
        k: sum((getattr(a, k) for a in activities), Decimal(0)) for k in ("budget", "funded", "pipeline")
    }
    totals["gap"] = sum((a.gap for a in activities), Decimal(0))
    reported = [a.latest for a in activities if a.latest]
    return {
        "workplans": [
            {
                "title": w.title,
                "status": w.get_status_display(),
                "decision": w.decision.number if w.decision_id else "",
            }
            for w in workplans
        ],
        "activities": len(activities),
        "completed": sum(1 for a in activities if a.status == Activity.Status.COMPLETED),
        "reported": len(reported),
        "mean_progress": round(sum(p.percent for p in reported) / len(reported)) if reported else None,
        "rag": {r: sum(1 for p in reported if p.rag == r) for r in ("green", "amber", "red")},
        "gcm_covered": matrix["covered"],
        "gcm_objectives": [
            f"{row['objective'].number}. {row['objective'].tr.short_label}"
            for row in matrix["rows"]
            if row["covered"]
        ],
        "funding": {k: _money(v) for k, v in totals.items()},
        "progress_by_group": [
            {k: g[k] for k in ("label", "activities", "reported", "percent")}
            for g in charts.progress_by_working_group(activities)
        ],
        "funding_chart": render_to_string("workplans/_bars.svg", {"chart": by_objective}).strip()
        if by_objective.bars
        else "",
        "coverage_chart": render_to_string(
            "workplans/_bars.svg", {"chart": charts.activities_by_objective(activities)}
        ).strip()
        if activities
        else "",
    }


def statement_figures(network: Network, start: datetime.date, end: datetime.date) -> dict:
    """Statements issued in the period (in the name of the network or of the agencies that cleared),
    where they were delivered, and what the network made public."""
    period = _bounds(network, start, end)
    issued = (
        Statement.objects.filter(
            network=network, status=Statement.Status.ISSUED, issued_at__gte=period["gte"]
        )
        .filter(issued_at__lt=period["lt"])
        .annotate(agencies=Count("signatories"))
        .order_by("issued_at", "id")
    )
    deliveries = (
        Delivery.objects.filter(statement__network=network, delivered_on__gte=start, delivered_on__lte=end)
        .select_related("statement", "organisation")
        .order_by("delivered_on", "id")
    )
    released = Release.objects.filter(
        network=network,
        status=Release.Status.RELEASED,
        released_at__gte=period["gte"],
        released_at__lt=period["lt"],
    )
    return {
        "issued": [
            {
                "title": s.title,
                "kind": s.get_kind_display(),
                "issued_on": _local_day(s.issued_at, network.zone).isoformat(),
                "by_network": s.signed_by_network,
                "agencies": s.agencies,
            }
            for s in issued
        ],
        "deliveries": [
            {
                "on": d.delivered_on.isoformat(),
                "title": d.statement.title,
                "by": d.organisation.acronym or str(d.organisation),
                "where": d.occasion,
                "to": d.recipients,
            }
            for d in deliveries
        ],
        "released": released.count(),
    }


def collect(network: Network, start: datetime.date, end: datetime.date, today: datetime.date) -> dict:
    return {
        "meetings": meeting_figures(network, start, end, today),
        "decisions": decision_figures(network, start, end, today),
        "workplan": workplan_figures(network, start, end),
        "statements": statement_figures(network, start, end),
    }
