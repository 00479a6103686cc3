"""Sections that later capabilities add to the network home (upcoming meetings, open actions…),
and what each of them says a person owes ("Needs your attention").

A panel is a function (request, network, structure) -> {"template": …, …} or None; the home page
includes each template with the returned context. An attention source is a function
(request, network, structure, limit) -> iterable of `Attention`, earliest due first and at most
`limit` of them (all if None): the home page lists the earliest few of all of them in one list, by
due date, and the attention page lists everything. The networks app needs no import of theirs.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

Panel = Callable[..., dict | None]
PANELS: list[Panel] = []


def panel(fn: Panel) -> Panel:
    PANELS.append(fn)
    return fn


def render_panels(request, network, structure) -> list[dict]:
    return [p for p in (fn(request, network, structure) for fn in PANELS) if p]


@dataclass
class Attention:
    """One thing a person owes: what, for which body or meeting, by when, and where to do it.

    `due` is a date or an aware instant (shown on the network's clock); without one, `status`
    ("due" or "missed") says how urgent it is."""

    kind: str  # e.g. "Awaiting your position"
    title: str
    where: str
    url: str
    due: datetime.date | datetime.datetime | None = None
    overdue: bool = False
    status: str = ""
    detail: str = ""

    @property
    def has_time(self) -> bool:
        return isinstance(self.due, datetime.datetime)


AttentionSource = Callable[..., Iterable[Attention]]
ATTENTION_SOURCES: list[AttentionSource] = []
ON_THE_HOME = 10  # the earliest things owed; the attention page lists the rest


def attention(fn: AttentionSource) -> AttentionSource:
    """Register what a capability says a person owes on the network home."""
    ATTENTION_SOURCES.append(fn)
    return fn


def rules_owed(statuses) -> list[Attention]:
    """Charter rules due or missed, for the Secretariat (from the statuses the home evaluated)."""
    return [
        Attention(
            kind=_("Charter rule"),
            title=s.rule.tr.title,
            where=str(s.rule.authority or s.rule.body or ""),
            url="#rules",
            status=s.status,
            overdue=s.status == "missed",
            detail=s.detail,
        )
        for s in statuses
        if s.needs_attention
    ]


def _sort_key(network, item: Attention) -> tuple:
    if isinstance(item.due, datetime.datetime):
        return (1, network.localtime(item.due).replace(tzinfo=None))
    if isinstance(item.due, datetime.date):
        return (1, datetime.datetime.combine(item.due, datetime.time.max))
    # Undated: what was missed comes first, what is merely due last.
    return (0 if item.overdue or item.status == "missed" else 2, datetime.datetime.min)


def needs_attention(
    request, network, structure, extra: Iterable[Attention] = (), limit: int | None = None
) -> list[Attention]:
    """Everything the user owes in the network, earliest due first (overdue at the top). With
    `limit`, each source gives only its `limit` earliest: enough for the first `limit` of all."""
    items = [*extra, *(item for fn in ATTENTION_SOURCES for item in fn(request, network, structure, limit))]
    for item in items:
        if isinstance(item.due, datetime.datetime):
            item.due = network.localtime(item.due)
    return sorted(items, key=lambda item: _sort_key(network, item))
