"""Agreed release as the apps below `statements` see it: whether a record is public, and what its
page says of its release. The release engine lives in `statements`, above library, meetings and
decisions; it fills this hook when it loads (`provide`), so their pages and permissions ask here
and never import it. Without it nothing is released and pages show nothing."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy

# What an internal record carries when it leaves the network by e-mail (reports, minutes sent to
# external partners, papers of a consultation).
INTERNAL_MARKING = gettext_lazy(
    "Internal — for the named recipients only: the network has not agreed to make it public."
)


@dataclass(frozen=True)
class ReleaseState:
    """What a record's page shows of its release: a live release's status (to the network's
    members), or where to propose it (to those who may, when the record may be released)."""

    status: str = ""  # proposed, clearance, released; empty when no release is live
    label: str = ""  # "In clearance"
    url: str = ""  # the release's page in the network
    public_url: str = ""  # where anyone reads it, once released
    propose_url: str = ""


@dataclass
class _Engine:
    released_ids: Callable[[type[models.Model], Iterable[int]], set[int]]
    states: Callable[..., list[ReleaseState | None]]
    with_release: Callable[[models.QuerySet], models.QuerySet]


_engine: list[_Engine] = []  # the statements app's, once it is loaded


def provide(*, released_ids, states, with_release) -> None:
    """Called by the release engine when its app is ready."""
    _engine[:] = [_Engine(released_ids=released_ids, states=states, with_release=with_release)]


def released_ids(model: type[models.Model], ids: Iterable[int]) -> set[int]:
    """Which of these records of `model` are public (a released release): one query."""
    ids = list(ids)
    return _engine[0].released_ids(model, ids) if _engine and ids else set()


def is_released(record: models.Model) -> bool:
    return record.pk in released_ids(type(record), [record.pk])


def with_release(queryset: models.QuerySet) -> models.QuerySet:
    """Load each record's live release with it, so that `annotate` asks nothing more for them."""
    return _engine[0].with_release(queryset) if _engine else queryset


def annotate(user, network, records: Iterable[models.Model | None]) -> None:
    """Set `release_state` (a ReleaseState, or None when there is nothing to show) on each record:
    at most one query for the live releases of them all, whatever their kinds, none for records
    loaded `with_release`."""
    records = [r for r in records if r is not None]
    states = _engine[0].states(user, network, records) if _engine and records else [None] * len(records)
    for record, state in zip(records, states, strict=True):
        record.release_state = state
