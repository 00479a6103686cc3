"""Explicit audit: services call `record_change` in the same transaction as the write."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from .models import ChangeLog

# Where a change came from (web, API, admin, command): set once at the entry point.
_source: ContextVar[str] = ContextVar("audit_source", default=ChangeLog.Source.WEB)


@contextmanager
def audit_source(source: str):
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


# Bookkeeping columns and secrets: never worth (or safe) recording.
UNTRACKED = {"created_at", "updated_at", "password", "last_login", "key_hash"}


def _plain(value):
    if isinstance(value, (models.Model, FieldFile)):
        return str(value)
    if isinstance(value, (date, datetime, Decimal, UUID)):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """Field values of `obj`, for a later `diff`; foreign keys by id so no query is made."""
    values = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in UNTRACKED:
            continue
        values[field.name] = _plain(getattr(obj, field.attname))
    return values


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record_change(
    *,
    actor,
    obj: models.Model,
    action: str,
    network_id: int | None,
    changes: dict | None = None,
) -> ChangeLog | None:
    """Write one audit row; an update that changed nothing writes none."""
    if action == ChangeLog.Action.UPDATE and not changes:
        return None
    if changes is None and action == ChangeLog.Action.CREATE:
        changes = {k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "", [], {})}
    return ChangeLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        network_id=network_id,
        action=action,
        source=_source.get(),
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


def check_changeable(fields: dict, allowed: set[str]) -> None:
    """An update service names the fields it lets change; anything else is the caller's mistake."""
    if unknown := set(fields) - allowed:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))


def save_changes(obj: models.Model, *, by, network_id: int | None, fields: dict) -> dict:
    """Apply `fields` to `obj`, validate, save, and audit what actually changed (returned)."""
    before = snapshot(obj, list(fields))
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj, list(fields)))
    record_change(actor=by, obj=obj, action=ChangeLog.Action.UPDATE, network_id=network_id, changes=changes)
    return changes
