"""The key pages measured, and what each costs in SQL when run in process."""

import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery
from django.test import Client

from convene.accounts.models import User
from convene.core.models import ChangeLog
from convene.decisions.models import ActionItem, Decision
from convene.meetings.models import AgendaItem, Attendance, Meeting, Minutes, MinutesItem
from convene.networks.models import Membership, Network, Organisation, Representative

FLOOR = "floor (1 query, tiny template)"


@dataclass
class Page:
    name: str
    path: str
    user: User | None  # None: an anonymous visitor (the public page)


def fullest_meeting(network) -> Meeting:
    """A meeting of the network with most agenda items, then most attendance rows."""
    items = AgendaItem.objects.filter(meeting=OuterRef("pk")).values("meeting").annotate(n=Count("pk"))
    rows = Attendance.objects.filter(meeting=OuterRef("pk")).values("meeting").annotate(n=Count("pk"))
    return (
        Meeting.objects.filter(network=network)
        .annotate(items=Subquery(items.values("n")), rows=Subquery(rows.values("n")))
        .order_by(F("items").desc(nulls_last=True), F("rows").desc(nulls_last=True), "-starts_at")
        .first()
    )


def key_pages(made) -> list[Page]:
    """Pages of the largest network, as its Secretariat (who sees the most) and as a member."""
    network = made.flagship or max(
        made.networks, key=lambda n: Membership.objects.filter(body__network=n).count()
    )
    sec, member, slug = made.secretariat[network.pk], made.member[network.pk], network.slug
    meeting = f"/n/{slug}/meetings/{(made.anchor or fullest_meeting(network)).pk}/"
    return [
        Page(FLOOR, "/bench/floor/", sec),
        Page("network home", f"/n/{slug}/", sec),
        Page("network home (member)", f"/n/{slug}/", member),
        Page("plenary body", f"/n/{slug}/bodies/network/", sec),
        Page("working group", f"/n/{slug}/bodies/twg-0/", sec),
        Page("members list", f"/n/{slug}/members/", member),
        Page("members.xlsx", f"/n/{slug}/members.xlsx", member),
        Page("audit log", f"/n/{slug}/audit/", sec),
        Page("registry search", "/organisations/?q=0001", sec),
        Page("API memberships", f"/api/v1/networks/{slug}/memberships/", sec),
        Page("API representatives", f"/api/v1/networks/{slug}/representatives/", sec),
        Page("API rules", f"/api/v1/networks/{slug}/rules/", sec),
        Page("meetings list", f"/n/{slug}/meetings/", sec),
        Page("meeting (30 items, 50 attendees)", meeting, sec),
        Page("minutes (30 items)", f"{meeting}minutes/", sec),
        Page("API meetings", f"/api/v1/networks/{slug}/meetings/", sec),
        Page("API meeting (30 items)", f"/api/v1{meeting.replace('/n/', '/networks/', 1)}", sec),
        Page("decision register (2,000)", f"/n/{slug}/decisions/", member),
        Page("register search", f"/n/{slug}/decisions/?q=workplan&status=in_force", member),
        Page("register.xlsx (2,000)", f"/n/{slug}/decisions/export.xlsx", member),
        Page("proposal page", f"/n/{slug}/proposals/{_a_proposal(network)}/", sec),
        Page("action items (10,000)", f"/n/{slug}/actions/?status=open&status=blocked", sec),
        Page("implementation monitoring", f"/n/{slug}/monitoring/", sec),
        Page("API decisions", f"/api/v1/networks/{slug}/decisions/", sec),
        Page("API action items", f"/api/v1/networks/{slug}/action-items/", sec),
        *_workplan_pages(network, slug, sec),
        *_statement_pages(network, slug, sec, member),
        _calendar_feed(sec),
    ]


def _calendar_feed(user) -> Page:
    """The Secretariat person's calendar subscription: every meeting they may see from a year ago on
    (about 25 at full scale), fetched with its token and no session, as calendar applications do."""
    from convene.meetings.services import renew_calendar_feed

    return Page("calendar feed (a year)", f"/calendar/{renew_calendar_feed(user=user).token}.ics", None)


def _statement_pages(network, slug, sec, member) -> list[Page]:
    from convene.statements.models import Statement

    first = Statement.objects.filter(network=network).order_by("id").first()
    if first is None:
        return []
    return [
        Page("statements (30)", f"/n/{slug}/statements/", member),
        Page("statement (50 clearances)", f"/n/{slug}/statements/{first.pk}/", member),
        Page("releases (200)", f"/n/{slug}/releases/", sec),
        Page("public page (200 released)", f"/p/{slug}/", None),
        Page("public feed", f"/p/{slug}/feed.atom", None),
    ]


def _workplan_pages(network, slug, user) -> list[Page]:
    from convene.workplans.models import Workplan

    workplan = Workplan.objects.filter(network=network).order_by("-year").first()
    if workplan is None:
        return []
    return [
        Page("workplan (200 activities)", f"/n/{slug}/workplans/{workplan.pk}/", user),
        Page("workplan at a glance", f"/n/{slug}/workplans/{workplan.pk}/charts/", user),
    ]


def annual_report_seconds(network, repeat: int = 3) -> float:
    """Median time to build this year's annual report for `network` from the records and render
    its PDF (what issuing it costs), in process."""
    from django.utils import timezone

    from convene.reports import documents, services

    report = services.create_report(
        by=None, network=network, audience="unct", period="year", year=timezone.now().year
    )
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        documents.pdf(services.preview(report))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _a_proposal(network) -> int:
    from convene.decisions.models import Proposal

    return Proposal.objects.filter(network=network).order_by("pk").values_list("pk", flat=True).first()


def session_cookie(user: User | None) -> str:
    if user is None:
        return ""  # an anonymous visitor
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def queries_and_sql_time(page: Page, repeat: int = 20) -> tuple[int, float]:
    """The page's query count, and the median time to run its SELECTs directly (ms)."""
    client = Client()
    if page.user is not None:
        client.force_login(page.user)
    client.get(page.path)  # warm per-process caches
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(page.path)
    assert response.status_code == 200, (page.path, response.status_code)
    selects = [(sql, params) for sql, params in captured if sql.lstrip().upper().startswith("SELECT")]
    times = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            start = time.perf_counter()
            for sql, params in selects:
                cursor.execute(sql, params)
                cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
    return len(captured), statistics.median(times)


def row_counts() -> dict[str, int]:
    return {
        "networks": Network.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "representatives": Representative.objects.count(),
        "people": User.objects.count(),
        "audit_rows": ChangeLog.objects.count(),
        "meetings": Meeting.objects.count(),
        "agenda_items": AgendaItem.objects.count(),
        "attendance": Attendance.objects.count(),
        "minutes": Minutes.objects.count(),
        "minutes_items": MinutesItem.objects.count(),
        "decisions": Decision.objects.count(),
        "action_items": ActionItem.objects.count(),
    }
