"""Convene on more than one machine, as the README's "Deploying on more than one machine" runs it:
a PostgreSQL database, Redis as the shared cache, an S3-compatible bucket for the files, two
application servers and two task workers, haproxy in front (deploy/haproxy.cfg), a real SMTP
server; every process on loopback, started and stopped by this test.

It signs in through one server and works through the other and through the load balancer, uploads
a paper on one server and downloads it from the other, circulates an agenda, starts the hourly
reminders on both servers at the same instant, and checks that every e-mail the product queued
(the demo's, the invitations, the reminders) reached the SMTP server exactly once."""

import collections
import datetime
import email
import email.policy
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from convene.core.testing import Collector, LoopbackController

ROOT = Path(__file__).resolve().parent.parent
HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/11"  # a database of its own, emptied first
SECRETARIAT = "iom.kenya@demo.convene.invalid"
PASSWORD = "convene-demo"  # the demo's (setup_demo)
PAPER = b"%PDF-1.4 the workplan, uploaded on one server and read from the other"
DEADLINE = 90  # seconds for the whole run to settle


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster(s3_server, tmp_path):
    """Everything the README's deployment runs, on loopback: yields the addresses and a way to
    query the database; stops every process and drops the database, even after a failure."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs in the PostgreSQL pass: several servers need PostgreSQL")
    haproxy = shutil.which("haproxy") or shutil.which("/usr/sbin/haproxy")
    assert haproxy, "haproxy is missing: run scripts/ensure-haproxy (make test does)"
    import boto3
    import psycopg
    import redis

    name = f"convene_cluster_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    bucket = f"convene-cluster-{uuid.uuid4().hex[:8]}"
    credentials = {"AWS_ACCESS_KEY_ID": "convene-test", "AWS_SECRET_ACCESS_KEY": "convene-test"}
    boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket=bucket)
    smtp = Collector()
    smtp_server = LoopbackController(smtp)
    smtp_server.start()
    lb, ports = free_port(), [free_port(), free_port()]
    # What every application server and worker gets (README: "Deploying on more than one machine").
    shared = {
        "DATABASE_URL": f"{PG_SERVER}/{name}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": REDIS_URL,
        "CONVENE_S3_BUCKET": bucket,
        "CONVENE_S3_ENDPOINT_URL": s3_server,
        "AWS_EC2_METADATA_DISABLED": "true",
        **credentials,
        "CONVENE_TRUSTED_PROXIES": "1",
        "CONVENE_BASE_URL": f"http://127.0.0.1:{lb}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "LOG_FORMAT": "json",
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONVENE_", "EMAIL_"))}
    machines = []
    for n in (1, 2):  # each "machine" has its own disk: a file written there is not on the other
        media = tmp_path / f"machine-{n}" / "media"
        machines.append(
            base | shared | {"CONVENE_MEDIA_ROOT": str(media), "DATABASE_URL": shared["DATABASE_URL"]}
        )
    processes, logs = [], tmp_path / "logs"
    logs.mkdir()

    def start(label, command, env):
        with (logs / f"{label}.log").open("wb") as out:
            processes.append((label, subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)))

    def manage(env, *args, timeout=120):
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    try:
        manage(machines[0], "migrate", "--noinput", "-v0")
        manage(machines[0], "collectstatic", "--noinput", "-v0")
        manage(machines[0], "setup_demo")  # queues the demo's e-mails: the workers send them below
        for n, (env, port) in enumerate(zip(machines, ports, strict=True), start=1):
            gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
            start(f"app{n}", [*gunicorn, "--workers", "2", "--log-level", "warning"], env)
            start(f"worker{n}", [sys.executable, "manage.py", "db_worker", "--no-startup-delay"], env)
        start(
            "haproxy",
            [haproxy, "-db", "-f", str(HAPROXY_CFG)],
            base
            | {
                "CONVENE_LB_BIND": f"127.0.0.1:{lb}",
                "CONVENE_HOST": "127.0.0.1",
                "CONVENE_APP_1": f"127.0.0.1:{ports[0]}",
                "CONVENE_APP_2": f"127.0.0.1:{ports[1]}",
            },
        )
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        for url in [*urls, f"http://127.0.0.1:{lb}"]:
            wait_for(f"{url}/readyz", processes, logs)

        def query(sql, *params):
            with psycopg.connect(shared["DATABASE_URL"]) as conn:
                return conn.execute(sql, params).fetchall()

        yield {
            "servers": urls,
            "lb": f"http://127.0.0.1:{lb}",
            "machines": machines,
            "media": [Path(env["CONVENE_MEDIA_ROOT"]) for env in machines],
            "smtp": smtp,
            "query": query,
            "manage": manage,
            "processes": processes,
            "logs": logs,
        }
    finally:
        for _label, process in processes:
            process.terminate()
        for _label, process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        smtp_server.stop()
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(url, processes, logs, timeout=30):
    import requests

    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        for label, process in processes:
            if process.poll() is not None:
                pytest.fail(f"{label} stopped: {(logs / f'{label}.log').read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still starting (boto3 loads)
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {timeout} s")


def post(session, url, data, files=None):
    """A form posted as a browser does: with the CSRF token of the session's cookie."""
    data = {**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    return session.post(
        url, data=data, files=files, headers={"Referer": url}, allow_redirects=False, timeout=30
    )


def test_two_servers_two_workers_behind_haproxy_lose_nothing_and_send_everything_once(cluster):
    import requests

    a, b = cluster["servers"]
    lb, query = cluster["lb"], cluster["query"]

    # Signed in on one server, known to the other and to the load balancer (the session is shared).
    browser = requests.Session()
    assert browser.get(f"{a}/accounts/login/", timeout=30).status_code == 200
    signed_in = post(browser, f"{a}/accounts/login/", {"login": SECRETARIAT, "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.text[:2000]
    for server in (b, lb):
        home = browser.get(f"{server}/n/kenya/", allow_redirects=False, timeout=30)
        assert home.status_code == 200 and 'action="/accounts/logout/"' in home.text

    # A meeting tomorrow, through the load balancer; an agenda item on one server.
    nairobi = ZoneInfo("Africa/Nairobi")
    start = (datetime.datetime.now(nairobi) + datetime.timedelta(hours=20)).replace(minute=0, second=0)
    end = min(start + datetime.timedelta(hours=1), start.replace(hour=23, minute=59))
    [(plenary,)] = query(
        "SELECT b.id FROM networks_body b JOIN networks_network n ON n.id = b.network_id "
        "WHERE n.slug = 'kenya' AND b.slug = 'network'"
    )
    scheduled = post(
        browser,
        f"{lb}/n/kenya/meetings/new/",
        {
            "body": plenary,
            "kind": "regular",
            "title": "Across two servers",
            "day": start.date().isoformat(),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
            "location": "UN Gigiri, Nairobi",
        },
    )
    assert scheduled.status_code == 302, scheduled.text[:2000]
    meeting = int(re.search(r"/meetings/(\d+)/", scheduled.headers["Location"])[1])
    added = post(
        browser, f"{a}/n/kenya/meetings/{meeting}/agenda/new/", {"title": "Workplan", "kind": "discussion"}
    )
    assert added.status_code == 302, added.text[:2000]
    [(item,)] = query(
        "SELECT id FROM meetings_agendaitem WHERE meeting_id = %s AND title = 'Workplan'", meeting
    )

    # A paper uploaded on one server is read from the other: the bucket, not a disk, holds it.
    uploaded = post(
        browser,
        f"{a}/n/kenya/meetings/{meeting}/agenda/{item}/paper/",
        {"title": "Draft workplan", "confidentiality": "internal"},
        files={"file": ("workplan.pdf", PAPER, "application/pdf")},
    )
    assert uploaded.status_code == 302, uploaded.text[:2000]
    [(document,)] = query("SELECT id FROM library_document WHERE title = 'Draft workplan'")
    download = browser.get(f"{b}/n/kenya/documents/{document}/", timeout=30)
    assert download.status_code == 200 and download.content == PAPER
    assert not any(p.is_file() for media in cluster["media"] for p in media.rglob("*"))

    # The agenda circulated from the other server, after looking at what is sent.
    preview = browser.get(f"{b}/n/kenya/meetings/{meeting}/circulate/", timeout=30)
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', preview.text)[1]
    sent = post(
        browser, f"{b}/n/kenya/meetings/{meeting}/circulate/", {"confirm": "1", "fingerprint": fingerprint}
    )
    assert sent.status_code == 302, sent.text[:2000]

    # Both servers start at the same instant, each scheduling the hourly reminders.
    both = [
        subprocess.Popen(
            [sys.executable, "manage.py", "schedule_reminders"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for env in cluster["machines"]
    ]
    outputs = sorted(p.communicate(timeout=60)[0].strip() for p in both)
    assert all(p.returncode == 0 for p in both)
    assert outputs == ["Reminders already scheduled.", "Reminders scheduled (every hour)."]

    # Wait until the workers have sent everything: the reminders of the meeting included.
    reminder = "Reminder: Across two servers"
    stop = time.monotonic() + DEADLINE
    while time.monotonic() < stop:
        waiting = query("SELECT count(*) FROM core_outboundemail WHERE status IN ('queued', 'sending')")[0][0]
        reminded = query("SELECT count(*) FROM core_outboundemail WHERE subject LIKE %s", f"%{reminder}%")[0][
            0
        ]
        if not waiting and reminded and len(cluster["smtp"].received) >= _queued(query):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"not everything was sent within {DEADLINE} s")
    time.sleep(2)  # a second copy of anything would arrive now

    queued = collections.Counter((to.lower(), subject) for to, subject in _rows(query))
    received = collections.Counter()
    for envelope in cluster["smtp"].received:
        subject = email.message_from_bytes(envelope.content, policy=email.policy.default)["subject"]
        for to in envelope.rcpt_tos:
            received[(to.lower(), " ".join(subject.split()))] += 1
    assert received == queued  # every e-mail once: none lost, none twice
    assert set(query("SELECT status FROM core_outboundemail")) == {("sent",)}
    invitees = {
        to
        for (to, subject), n in queued.items()
        if "Across two servers" in subject and reminder not in subject
    }
    reminded = {to for (to, subject), n in queued.items() if reminder in subject}
    assert reminded == invitees and len(invitees) > 1
    assert all(n == 1 for (to, subject), n in received.items() if reminder in subject)
    # One hourly run waits for the next hour, whichever server queued it.
    runs = query(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'convene.meetings.reminders.send_reminders' AND status = 'READY'"
    )
    assert runs == [(1,)]


def _rows(query):
    return [
        (to[0], " ".join(subject.split()))
        for to, subject in query('SELECT "to", subject FROM core_outboundemail')
    ]


def _queued(query) -> int:
    return query("SELECT count(*) FROM core_outboundemail")[0][0]
