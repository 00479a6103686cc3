"""Behind a load balancer: probes for liveness and readiness, the client's own address read from
X-Forwarded-For as far as the trusted proxies go, failed sign-ins counted per client and per
account whatever the Host header, and every request's id in its response and its log lines."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.test import override_settings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
WRONG = {"password": "wrong"}


def run(code: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONVENE_", "LOG_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base | {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "on"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_healthz_answers_without_sign_in_session_or_cache(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "Set-Cookie" not in str(response.cookies)
    assert client.post("/healthz").status_code == 405


def test_readyz_checks_the_database_the_cache_and_the_storage_and_leaves_nothing(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_readyz_is_503_and_names_what_failed(client, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "failed"}


def test_readyz_checks_a_bucket_when_files_are_kept_in_one(client, s3_bucket):
    s3, bucket = s3_bucket
    assert client.get("/readyz").json()["checks"]["storage"] == "ok"
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0  # the probe left nothing
    s3.delete_bucket(Bucket=bucket)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "failed"}


def test_each_response_carries_its_request_id(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/healthz")["X-Request-ID"]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21")["X-Request-ID"] == "lb-7f3a9c21"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\n{injected}")["X-Request-ID"]
    assert len(forged) == 32 and "injected" not in forged


def test_with_log_format_json_each_line_is_one_object_with_the_request_id():
    result = run(
        "import django; django.setup(); from django.test import Client; "
        "Client().get('/no-such-page/', HTTP_X_REQUEST_ID='lb-req-0042')",
        LOG_FORMAT="json",
        DATABASE_URL="sqlite://:memory:",
    )
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert lines, result.stderr
    [not_found] = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["request_id"] == "lb-req-0042" and not_found["level"] == "WARNING"
    assert "/no-such-page/" in not_found["message"] and "T" in not_found["time"]


def test_an_unknown_log_format_or_proxy_count_refuses_to_start():
    assert "LOG_FORMAT is text or json" in run("import django; django.setup()", LOG_FORMAT="xml").stderr
    result = run("import django; django.setup()", CONVENE_TRUSTED_PROXIES="one")
    assert "CONVENE_TRUSTED_PROXIES" in result.stderr


def test_the_trusted_proxy_count_is_read_from_the_environment():
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    assert run(code).stdout.split() == ["0"]
    assert run(code, DJANGO_BEHIND_TLS_PROXY="on").stdout.split() == ["1"]
    assert run(code, DJANGO_BEHIND_TLS_PROXY="on", CONVENE_TRUSTED_PROXIES="2").stdout.split() == ["2"]


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_load_balancer_one_clients_mistakes_do_not_lock_out_another(client):
    cache.clear()
    lb = {"REMOTE_ADDR": "10.0.0.2"}  # every request comes from the load balancer
    typist = {**lb, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for n in range(10):
        response = client.post("/accounts/login/", {"login": f"nobody{n}@example.org", **WRONG}, **typist)
        assert "not correct" in response.content.decode()
    refused = client.post("/accounts/login/", {"login": "nobody@example.org", **WRONG}, **typist)
    assert "Too many failed login attempts" in refused.content.decode()
    # A colleague behind the same load balancer, and one who forges an address on the left.
    for address in ("203.0.113.9", "198.51.100.7, 203.0.113.10"):
        other = client.post(
            "/accounts/login/", {"login": "other@example.org", **WRONG}, **lb, HTTP_X_FORWARDED_FOR=address
        )
        assert "not correct" in other.content.decode(), address


@pytest.mark.parametrize("hosts", [("convene.example.org", "www.convene.example.org")])
def test_failed_sign_ins_count_per_account_whatever_the_host_header(client, kenya_member, settings, hosts):
    settings.ALLOWED_HOSTS = list(hosts)
    cache.clear()
    for n in range(5):
        client.post("/accounts/login/", {"login": kenya_member.email, **WRONG}, HTTP_HOST=hosts[n % 2])
    response = client.post(
        "/accounts/login/",
        {"login": kenya_member.email, "password": "pw-for-tests-only"},
        HTTP_HOST="www.convene.example.org",
        REMOTE_ADDR="192.0.2.99",  # and from another address
    )
    assert "Too many failed login attempts" in response.content.decode()
