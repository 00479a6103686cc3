"""The demo's pages in a real browser under the strict Content-Security-Policy: not one violation
reported on the console, the styles applied from the stylesheet, the filters still working."""

import io
import re

import pytest
from django.core.management import call_command

from convene.meetings.models import Meeting
from convene.workplans.models import Workplan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_demo_pages_show_no_content_security_policy_violation(page):
    call_command("setup_demo", stdout=io.StringIO())
    meeting = Meeting.objects.filter(network__slug="kenya").earliest("starts_at")
    workplan = Workplan.objects.filter(network__slug="kenya").first()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", "iom.kenya@demo.convene.invalid")
    page.fill("input[name=password]", "convene-demo")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/n/kenya/$"))
    for url in [
        f"/n/kenya/meetings/{meeting.pk}/",
        f"/n/kenya/meetings/{meeting.pk}/minutes/",
        f"/n/kenya/workplans/{workplan.pk}/",
        f"/n/kenya/workplans/{workplan.pk}/charts/",
        "/n/kenya/decisions/",
        "/n/kenya/actions/",
        "/api/v1/docs/",
        "/n/kenya/",
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1, #swagger-ui").count() >= 1, url
    # What the inline styles did, the stylesheet does: the body cards' lists are spaced as before.
    assert page.eval_on_selector("ul.seats", "e => getComputedStyle(e).marginTop") == "7.5px"

    page.goto(f"/n/kenya/meetings/{meeting.pk}/")
    assert page.eval_on_selector("dl.facts", "e => getComputedStyle(e).display") == "grid"
    # The body filter submits itself (from the static script, no inline handler).
    page.goto("/n/kenya/meetings/")
    page.select_option("#body", "executive-committee")
    page.wait_for_url(re.compile(r"body=executive-committee"))
    assert violations == []
