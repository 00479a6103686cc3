"""Parts of pages kept in the cache until their network changes.

A fragment's key holds the network's change counter: the newest row of the audit trail about the
network or about what networks share (the registry of organisations). Every change is made by a
service that writes its audit row in the same transaction, so a changed network has a new counter
and its fragments are rendered afresh at their next request; nothing needs deleting, and a fragment
is never shared between networks, languages or anything else its key names. A value that depends on
several networks (a person's calendar) holds the counter of each.

The counter is read before the fragment is rendered: a change committed meanwhile can only make the
fragment newer than its key says, never older, so it is never kept past the change."""

from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import ChangeLog

# A backstop for what changes outside the audit trail (reference data loaded at an upgrade).
TIMEOUT = 24 * 3600
MISSING = object()


def change_counter(*network_ids: int) -> tuple[int, ...]:
    """The newest audit row of each network, then of the shared registry (an index probe each)."""
    table = connection.ops.quote_name(ChangeLog._meta.db_table)
    probes = [f"(SELECT MAX(id) FROM {table} WHERE network_id = %s)" for _ in network_ids]
    probes.append(f"(SELECT MAX(id) FROM {table} WHERE network_id IS NULL)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(probes), list(network_ids))
        return tuple(newest or 0 for newest in cursor.fetchone())


def remembered(network, name: str, compute: Callable[[], Any], *parts, store: str = "fragments") -> Any:
    """`compute()`'s value (picklable), from the cache while the network is unchanged. `network` may
    be a list of networks, for a value drawn from each. `parts` name whatever else it depends on (an
    id, the network's date); the active language is always part of the key. What differs from reader
    to reader (a CSRF token, a person's own items) has no place here unless `parts` name the reader.

    `store` is a cache of settings.CACHES: "fragments" (this process's memory) for parts of pages,
    "default" (shared by every server) for large values fetched rarely."""
    networks = network if isinstance(network, list | tuple) else [network]
    ids = [n.pk for n in networks]
    counter = change_counter(*ids)  # before the data: see the module's docstring
    key = ":".join(map(str, ("fragment", name, *ids, "|", *parts, get_language(), *counter)))
    store = caches[store]
    value = store.get(key, MISSING)
    if value is MISSING:
        value = compute()
        store.set(key, value, TIMEOUT)
    return value


def cached(network, name: str, render: Callable[[], str], *parts) -> SafeString:
    """A part of a page, as `remembered`: HTML rendered by our own templates (escaped there)."""
    return mark_safe(remembered(network, name, lambda: str(render()), *parts))
