"""Pictures of a workplan, computed here and drawn by templates as plain SVG and tables: they need no
JavaScript, weigh little and print as they show. Every figure is also written as text."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import Activity, GcmObjective, ProgressUpdate

BAR_WIDTH = 420  # drawing units of the longest bar
FUNDING = [
    ("funded", _("Funded"), "#1e6b32"),
    ("pipeline", _("Pipeline"), "#d08a00"),
    ("gap", _("Gap"), "#9b1c1c"),
]
RAG_COLOURS = {"green": "#1e6b32", "amber": "#d08a00", "red": "#9b1c1c"}


LABEL_WIDTH, ROW_HEIGHT = 230, 22


def _n(value: float) -> str:
    """A coordinate as SVG wants it, whatever the locale's decimal mark."""
    return f"{value:.1f}"


@dataclass
class Segment:
    key: str
    label: str
    colour: str
    value: Decimal
    x: str
    width: str


@dataclass
class Bar:
    label: str
    total: Decimal
    segments: list[Segment]
    y: int
    total_x: str


@dataclass
class BarChart:
    bars: list[Bar]
    height: int
    legend: list
    width: int = LABEL_WIDTH + BAR_WIDTH + 90


ACTIVITIES = [("activities", _("Activities"), "#0b5e99")]


def bar_chart(groups: dict[str, dict[str, Decimal]], kinds=FUNDING) -> BarChart:
    """Stacked bars (funded / pipeline / gap unless told otherwise), scaled to the largest total."""
    largest = max((sum(v.values()) for v in groups.values()), default=0) or 1
    bars = []
    for i, (label, values) in enumerate(groups.items()):
        x, segments = float(LABEL_WIDTH), []
        for key, name, colour in kinds:
            width = float(values[key]) / float(largest) * BAR_WIDTH
            segments.append(Segment(key, str(name), colour, values[key], _n(x), _n(width)))
            x += width
        bars.append(
            Bar(
                label,
                sum(values.values()),
                [s for s in segments if float(s.width)],
                i * ROW_HEIGHT,
                _n(x + 4),
            )
        )
    return BarChart(bars, len(bars) * ROW_HEIGHT + 4, kinds)


def _money(a: Activity) -> dict[str, Decimal]:
    return {"funded": a.funded, "pipeline": a.pipeline, "gap": a.gap}


def funding_by_objective(activities: list[Activity]) -> BarChart:
    """An activity tagged with several objectives counts fully under each (as UN INFO tags do)."""
    groups: dict[str, dict] = {}
    for objective in GcmObjective.objects.all():
        groups[f"{objective.number}. {objective.short_label}"] = defaultdict(Decimal)
    for a in activities:
        for o in a.gcm_objectives.all():
            for k, v in _money(a).items():
                groups[f"{o.number}. {o.short_label}"][k] += v
    return bar_chart({k: v for k, v in groups.items() if v})


def activities_by_objective(activities: list[Activity]) -> BarChart:
    """How many activities serve each GCM objective (all 23, so a gap shows as an empty row)."""
    counts = {f"{o.number}. {o.short_label}": {"activities": 0} for o in GcmObjective.objects.all()}
    for a in activities:
        for o in a.gcm_objectives.all():
            counts[f"{o.number}. {o.short_label}"]["activities"] += 1
    return bar_chart(counts, ACTIVITIES)


def funding_by_working_group(activities: list[Activity]) -> BarChart:
    groups: dict[str, dict] = defaultdict(lambda: defaultdict(Decimal))
    for a in activities:
        label = a.working_group.name if a.working_group_id else str(_("Network-wide"))
        for k, v in _money(a).items():
            groups[label][k] += v
    return bar_chart(dict(sorted(groups.items())))


def coverage_matrix(activities: list[Activity]) -> dict:
    """GCM objectives × lead organisations: how many activities and what budget in each cell."""
    leads = sorted({a.lead_organisation.acronym for a in activities})
    cells: dict[tuple[int, str], list] = defaultdict(lambda: [0, Decimal(0)])
    for a in activities:
        for o in a.gcm_objectives.all():
            cell = cells[(o.number, a.lead_organisation.acronym)]
            cell[0] += 1
            cell[1] += a.budget
    most = max((c[0] for c in cells.values()), default=1)
    rows = []
    for objective in GcmObjective.objects.all():
        row = []
        for lead in leads:
            count, budget = cells.get((objective.number, lead), (0, Decimal(0)))
            row.append(
                {
                    "count": count,
                    "budget": budget,
                    "shade": round(0.15 + 0.7 * count / most, 2) if count else 0,
                }
            )
        rows.append({"objective": objective, "cells": row, "covered": any(c["count"] for c in row)})
    return {"leads": leads, "rows": rows, "covered": sum(r["covered"] for r in rows)}


def timeline(activities: list[Activity]) -> dict:
    """One bar per activity across the year's quarters (a Gantt chart in SVG units)."""
    quarter_width, label_width, row_height = 90, 260, 22
    rows = []
    for i, a in enumerate(activities):
        rows.append(
            {
                "activity": a,
                "y": i * row_height + 20,
                "x": label_width + (a.start_quarter - 1) * quarter_width,
                "width": (a.end_quarter - a.start_quarter + 1) * quarter_width - 4,
                "colour": RAG_COLOURS.get(getattr(getattr(a, "latest", None), "rag", ""), "#0b5e99"),
            }
        )
    return {
        "rows": rows,
        "height": len(rows) * row_height + 24,
        "width": label_width + 4 * quarter_width,
        "quarters": [{"label": f"Q{q}", "x": label_width + (q - 1) * quarter_width} for q in range(1, 5)],
        "label_width": label_width,
        "row_height": row_height,
    }


def progress_by_working_group(activities: list[Activity]) -> list[dict]:
    """The mean of each activity's latest percent, and how many are green, amber or red."""
    groups: dict[str, list] = defaultdict(list)
    for a in activities:
        groups[a.working_group.name if a.working_group_id else str(_("Network-wide"))].append(a)
    out = []
    for label, items in sorted(groups.items()):
        latest = [a.latest for a in items if getattr(a, "latest", None)]
        mean = round(sum(p.percent for p in latest) / len(latest)) if latest else None
        out.append(
            {
                "label": label,
                "activities": len(items),
                "reported": len(latest),
                "percent": mean,
                "width": _n((mean or 0) / 100 * BAR_WIDTH),
                "rag": {r: sum(1 for p in latest if p.rag == r) for r in RAG_COLOURS},
                "ratings": [
                    (r, ProgressUpdate.Rag(r).label, sum(1 for p in latest if p.rag == r))
                    for r in RAG_COLOURS
                ],
            }
        )
    return out
