"""Shared fixtures: the two seed networks loaded from their charters, and people seated in them."""

import contextlib
import datetime
import io
import logging
import os
import signal
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.utils import translation

from convene.core.testing import CHROMIUM, CHROMIUM_ARGS, Collector, LoopbackController

CHARTERS = Path(__file__).parent / "charters"

# Instants where the server's UTC date and a network's local date disagree (Nairobi UTC+3, Almaty
# UTC+5): a test marked `clock` runs on the real clock and again at each of these, so no rule can
# compare the server's date with the network's unnoticed.
UTC = datetime.UTC
CLOCK_INSTANTS = {
    "real-clock": None,
    "20:59Z": datetime.datetime(2026, 6, 15, 20, 59, tzinfo=UTC),  # Almaty already on the 16th
    "23:30Z": datetime.datetime(2026, 6, 15, 23, 30, tzinfo=UTC),  # both already on the 16th
    "new-year-eve-23:30Z": datetime.datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # locally a new year
    "00:30Z": datetime.datetime(2026, 3, 31, 0, 30, tzinfo=UTC),  # the last day of a quarter
}


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("clock"):
        metafunc.parametrize("clock", list(CLOCK_INSTANTS.values()), ids=list(CLOCK_INSTANTS), indirect=True)


@pytest.fixture(autouse=True)
def clock(request):
    """The instant a `clock`-marked test runs at (None: the real clock). Time flows from there."""
    instant = getattr(request, "param", None)
    if instant is None:
        yield None
        return
    import time_machine

    with time_machine.travel(instant, tick=True):
        yield instant


@pytest.fixture(autouse=True)
def _no_fragments_from_other_tests():
    """A rolled-back test hands its audit row ids out again: a fragment cached under them would
    be served to the next test's different data."""
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in another language leaves that language active in the thread (LocaleMiddleware
    does not undo it): every test starts, and leaves, in the default language."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests serve static files from the apps; fingerprinting needs collectstatic and adds nothing."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server (moto's) on loopback, for the whole session: its address."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server, settings, monkeypatch):
    """Uploaded files of a test go to a bucket of its own on the loopback S3 server, as in a
    deployment with CONVENE_S3_BUCKET set. Yields a boto3 client and the bucket's name."""
    import uuid

    import boto3

    from config import storages

    for name, value in {
        "AWS_ACCESS_KEY_ID": "convene-test",
        "AWS_SECRET_ACCESS_KEY": "convene-test",
        "AWS_EC2_METADATA_DISABLED": "true",  # never ask a cloud's metadata address for credentials
    }.items():
        monkeypatch.setenv(name, value)
    bucket = f"convene-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES, "default": storages.s3(bucket, endpoint_url=s3_server)}
    return client, bucket


@pytest.fixture
def load_charter(db):
    from convene.networks import charter

    def load(name: str):
        return charter.load((CHARTERS / f"{name}.yaml").read_text(encoding="utf-8")).network

    return load


@pytest.fixture
def kenya(load_charter):
    return load_charter("kenya")


@pytest.fixture
def kazakhstan(load_charter):
    return load_charter("kazakhstan")


@pytest.fixture
def seat(db):
    """seat(network, body_slug, acronym, role="member", email=None) -> the seated user."""
    from convene.accounts.models import User
    from convene.networks import services
    from convene.networks.models import Body, Membership, Organisation

    counter = iter(range(10_000))

    def make(network, body_slug, acronym, role=Membership.Role.MEMBER, email=None):
        body = Body.objects.get(network=network, slug=body_slug)
        org = Organisation.objects.get(acronym=acronym, country__in=["", network.country])
        membership = Membership.objects.filter(
            body=body, organisation=org, role=role, status="active"
        ).first()
        if membership is None:
            membership = services.add_membership(by=None, body=body, organisation=org, role=role)
        email = (
            email
            or f"{acronym.lower().replace(' ', '-').replace('/', '-')}-{next(counter)}@{network.slug}.test"
        )
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password="pw-for-tests-only", full_name=f"{acronym} person"
        )
        services.designate_representative(by=None, membership=membership, email=user.email)
        return user

    return make


@pytest.fixture
def kenya_secretariat(kenya, seat):
    return seat(kenya, "secretariat", "IOM", role="secretariat")


@pytest.fixture
def kenya_member(kenya, seat):
    return seat(kenya, "network", "FAO")


@pytest.fixture
def kazakhstan_secretariat(kazakhstan, seat):
    return seat(kazakhstan, "secretariat", "IOM", role="secretariat")


# A real SMTP server and the real task worker ---------------------------------------------------


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback that keeps what it receives; Django sends to it."""
    handler = Collector()
    controller = LoopbackController(handler)
    try:
        controller.start()
    except BaseException:
        controller._sock.close()
        raise
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    handler.controller = controller
    yield handler
    if controller._thread is not None:  # a test may have stopped it already
        controller.stop()  # closes the server, and with it the listening socket


@contextlib.contextmanager
def _restored_process_state():
    """db_worker installs its own signal handlers and sets its loggers' levels; give pytest its own back."""
    signals = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s]
    handlers = {s: signal.getsignal(s) for s in signals}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = {lg: lg.level for lg in loggers}
    try:
        yield
    finally:
        for s, h in handlers.items():
            signal.signal(s, h)
        for lg, level in levels.items():
            lg.setLevel(level)


def _run_worker():
    """The real worker: run every queued task, then exit."""
    out = io.StringIO()
    with _restored_process_state():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def run_worker():
    """Call to run the real task worker over the queue (tests using it must be transactional)."""
    return _run_worker


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


# Browser tests ---------------------------------------------------------------------------------


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (run scripts/ensure-chromium as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the test's own ORM calls are
    # synchronous and safe, but Django refuses them next to a running loop unless told otherwise.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
        finally:
            # While that loop runs, Django keeps this thread's connections apart (a context-local
            # store, not the thread-local one pytest-django manages): the test's own queries open a
            # second connection. Close it here, before the loop stops, or PostgreSQL cannot drop the
            # test database at the end of the session.
            connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(10_000)  # generous: a PDF may compile in the request
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
