"""For the load balancer: /healthz (the process answers) and /readyz (the database, the shared
cache and the file storage answer). No sign-in, no session, never cached."""

import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"convene:readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    kept = cache.get(key) == "ok"
    cache.delete(key)
    if not kept:
        raise RuntimeError("the cache did not keep a value")


def _storage() -> None:
    """Write and remove a few bytes: a full disk, a read-only mount or a bucket without write
    permission all fail here rather than on someone's upload."""
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


@login_not_required
@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request):
    checks = {}
    for name, check in CHECKS.items():
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - whatever fails, this server is not ready
            log.warning("Not ready: the %s check failed: %s: %s", name, type(exc).__name__, exc)
            checks[name] = "failed"
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
