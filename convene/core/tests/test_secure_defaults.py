"""Secure defaults: no start without a secret key outside DEBUG, `check --deploy` clean for the
production settings the README documents, and failed sign-ins counted in the shared database cache."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_DEBUG": "off",
    "DJANGO_SECURE_COOKIES": "on",
    "DJANGO_ALLOWED_HOSTS": "convene.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://convene.example.org",
}


def run(code_or_args, **env):
    """A fresh Python process in the project, with only the given Convene/Django variables set."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=base | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_outside_debug_the_web_application_refuses_to_start_without_a_secret_key():
    result = run("from config.wsgi import application")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr


def test_in_debug_a_development_key_lets_it_start():
    result = run(
        "from config.wsgi import application; from django.conf import settings; print(settings.SECRET_KEY)",
        DJANGO_DEBUG="on",
    )
    assert result.returncode == 0, result.stderr
    assert "not-for-production" in result.stdout


def test_ci_checks_for_missing_migrations_without_a_secret_key():
    result = run(
        ["manage.py", "makemigrations", "--check", "--dry-run", "-v0"], DATABASE_URL="sqlite://:memory:"
    )
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_production_sends_hsts_for_a_year_with_subdomains_and_counts_sign_ins_per_client():
    result = run(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER[0], "
        "s.ALLAUTH_TRUSTED_PROXY_COUNT)",
        **PRODUCTION,
        DJANGO_BEHIND_TLS_PROXY="on",
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True", "HTTP_X_FORWARDED_PROTO", "1"], (
        result.stderr
    )


def test_failed_sign_ins_are_refused_after_five_and_counted_in_the_shared_database_cache(
    client, kenya_member
):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache.clear()
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": kenya_member.email, "password": "wrong"})
        assert "not correct" in response.content.decode()
    # The sixth attempt is refused even with the right password: allauth's rate limit.
    response = client.post("/accounts/login/", {"login": kenya_member.email, "password": "pw-for-tests-only"})
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/n/kenya/").status_code == 302  # not signed in
    # The count is a row of the database table every web server and worker reads, not a worker's memory.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(settings.CACHE_TABLE)}")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("login_failed" in key for key in keys)


def test_with_redis_url_the_shared_cache_is_redis():
    """Several web servers share sign-in counts through Redis when REDIS_URL is set."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379")
    result = run(
        "import django, uuid; django.setup(); from django.core.cache import caches; "
        "cache = caches['default']; "
        "key = f'convene-test-{uuid.uuid4()}'; cache.set(key, 41, 30); cache.incr(key); "
        "print(type(cache).__name__, cache.get(key)); cache.delete(key)",
        DJANGO_DEBUG="on",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert result.stdout.split() == ["RedisCache", "42"], result.stderr
