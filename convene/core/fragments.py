"""Parts of pages kept in the cache until their network changes.

A fragment's key holds the network's change counter: the newest row of the audit trail about the
network or about what networks share (the registry of organisations). Every change is made by a
service that writes its audit row in the same transaction, so a changed network has a new counter
and its fragments are rendered afresh at their next request; nothing needs deleting, and a fragment
is never shared between networks, languages or anything else its key names.

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


def change_counter(network_id: int) -> tuple[int, int]:
    """The newest audit row of the network and of the shared registry (two index probes)."""
    table = connection.ops.quote_name(ChangeLog._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {table} WHERE network_id = %s),"
            f" (SELECT MAX(id) FROM {table} WHERE network_id IS NULL)",
            [network_id],
        )
        network, shared = cursor.fetchone()
    return network or 0, shared or 0


def remembered(network, name: str, compute: Callable[[], Any], *parts) -> Any:
    """`compute()`'s value (picklable), from the cache while the network is unchanged. `parts` name
    whatever else it depends on (an id, the network's date); the active language is always part of
    the key. What differs from reader to reader (a CSRF token, a person's own items) has no place
    here."""
    counter = change_counter(network.pk)  # before the data: see the module's docstring
    key = ":".join(map(str, ("fragment", name, network.pk, *parts, get_language(), *counter)))
    store = caches["fragments"]
    value = store.get(key, MISSING)
    if value is MISSING:
        value = compute()
        store.set(key, value, TIMEOUT)
    return value


def cached(network, name: str, render: Callable[[], str], *parts) -> SafeString:
    """A part of a page, as `remembered`: HTML rendered by our own templates (escaped there)."""
    return mark_safe(remembered(network, name, lambda: str(render()), *parts))
