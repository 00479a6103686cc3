"""Across networks: what a regional or global coordinator with read access to several networks sees.
Each figure is one aggregate query over all the networks, so the page costs the same for two networks
or forty."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from convene.decisions.models import Decision
from convene.meetings.models import Meeting
from convene.meetings.monitoring import Quarter
from convene.networks.models import Rule
from convene.workplans import charts
from convene.workplans.models import Activity, GcmObjective

NETWORKS = [("networks", _("Networks"), "#0b5e99")]


def rollup(networks: list, year: int) -> dict:
    ids = [n.pk for n in networks]
    activities = {
        row["workplan__network_id"]: row
        for row in Activity.objects.filter(workplan__network_id__in=ids, workplan__year=year)
        .values("workplan__network_id")
        .annotate(
            n=Count("pk"),
            budget=Sum("budget"),
            funded=Sum("funded"),
            pipeline=Sum("pipeline"),
            completed=Count("pk", filter=Q(status=Activity.Status.COMPLETED)),
        )
    }
    pairs = (
        Activity.gcm_objectives.through.objects.filter(
            activity__workplan__network_id__in=ids, activity__workplan__year=year
        )
        .values_list("gcmobjective_id", "activity__workplan__network_id")
        .distinct()
    )
    networks_per_objective = defaultdict(set)
    objectives_per_network = defaultdict(set)
    for objective_id, network_id in pairs:
        networks_per_objective[objective_id].add(network_id)
        objectives_per_network[network_id].add(objective_id)
    decisions = dict(
        Decision.objects.filter(network_id__in=ids, year=year)
        .values_list("network_id")
        .annotate(n=Count("pk"))
    )
    compliance = _meeting_compliance(networks, year)

    rows, funding = [], {}
    for network in networks:
        a = activities.get(network.pk, {})
        budget, funded, pipeline = (a.get(k) or Decimal(0) for k in ("budget", "funded", "pipeline"))
        gap = max(budget - funded - pipeline, Decimal(0))
        rows.append(
            {
                "network": network,
                "activities": a.get("n", 0),
                "completed": a.get("completed", 0),
                "budget": budget,
                "funded": funded,
                "gap": gap,
                "objectives": len(objectives_per_network[network.pk]),
                "decisions": decisions.get(network.pk, 0),
                "quarters": compliance.get(network.pk),
            }
        )
        funding[str(network)] = {"funded": funded, "pipeline": pipeline, "gap": gap}
    coverage = [
        {"objective": o, "networks": len(networks_per_objective[o.pk])} for o in GcmObjective.objects.all()
    ]
    coverage_chart = charts.bar_chart(
        {
            f"{c['objective'].number}. {c['objective'].tr.short_label}": {"networks": c["networks"]}
            for c in coverage
        },
        NETWORKS,
    )
    return {
        "rows": rows,
        "coverage": coverage,
        "coverage_chart": coverage_chart,
        "funding": charts.bar_chart(funding),
        "count": len(networks),
    }


def _meeting_compliance(networks: list, year: int) -> dict[int, dict]:
    """For each network, the quarters of the year so far (on its own date) in which the body its
    meeting-frequency rule names held a meeting."""
    rules = {
        r.network_id: r.body_id
        for r in Rule.objects.filter(
            network_id__in=[n.pk for n in networks], kind=Rule.Kind.MEETING_FREQUENCY, body__isnull=False
        )
    }
    by_id = {n.pk: n for n in networks}
    held = Meeting.objects.filter(
        body_id__in=rules.values(),
        status=Meeting.Status.HELD,
        starts_at__gte=datetime.datetime(year - 1, 12, 31, tzinfo=datetime.UTC),
        starts_at__lt=datetime.datetime(year + 1, 1, 2, tzinfo=datetime.UTC),
    ).values_list("network_id", "starts_at")
    met = defaultdict(set)
    for network_id, starts_at in held:
        day = by_id[network_id].localtime(starts_at).date()
        if day.year == year:
            met[network_id].add(Quarter.of(day).number)
    result = {}
    for network_id in rules:
        today = by_id[network_id].today()
        due = {q for q in range(1, 5) if Quarter(year, q).end < today}
        result[network_id] = {
            "met": len(met[network_id] & due),
            "due": len(due),
            "quarters": sorted(met[network_id]),
        }
    return result
