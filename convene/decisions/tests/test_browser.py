"""In a real browser: the Secretariat puts a proposal to Kenya's Executive Committee, a member
representative objects (in place, htmx), the Secretariat closes it without consensus, which tables
it to the UNCT, and records the UNCT's decision, which enters the register with its number.

Drives Debian's Chromium through Playwright against pytest-django's live server.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from convene.core.testing import sign_in
from convene.decisions.models import Decision, Proposal

TITLE = "Joint position on the labour migration bill"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def field(page, label):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def test_an_objection_is_escalated_to_the_unct_which_decides(
    browser, live_server, page, kenya, seat, kenya_secretariat
):
    from playwright.sync_api import expect

    unhcr = seat(kenya, "executive-committee", "UNHCR")
    today = datetime.datetime.now(ZoneInfo(kenya.timezone)).date()

    # 1. The Secretariat puts the proposal to the Executive Committee, the body the charter names.
    sign_in(page, kenya_secretariat)
    page.goto("/n/kenya/proposals/")
    page.get_by_role("link", name="New proposal").click()
    expect(page.locator("main")).to_contain_text("Under the charter, Executive Committee decides this")
    field(page, "Title").fill(TITLE)
    field(page, "Text of the decision").fill("The Network supports the bill with the amendments annexed.")
    field(page, "Topic").fill("Labour migration")
    page.get_by_role("button", name="Put to the body").click()
    page.wait_for_url(re.compile(r"/n/kenya/proposals/\d+/$"))
    expect(page.locator("#positions")).to_contain_text("Not yet responded")
    proposal_url = page.url

    # 2. UNHCR's representative sees it awaiting their position, and objects.
    context = browser.new_context(base_url=live_server.url)
    member = context.new_page()
    try:
        sign_in(member, unhcr)
        member.get_by_role("link", name=TITLE).first.click()
        expect(member.locator("main")).to_contain_text("UNHCR has not yet given its position")
        member.get_by_label("Objects").check()
        field(member, "Reason").fill("Protection safeguards for refugees are missing.")
        member.get_by_role("button", name="Record the position").click()
        row = member.locator("#positions tr", has_text="UNHCR")
        expect(row).to_contain_text("Objects")  # swapped in place by htmx
        expect(row).to_contain_text("Protection safeguards")
    finally:
        context.close()

    # 3. The Secretariat closes it: consensus not reached, tabled to the UNCT.
    page.goto(proposal_url)
    expect(page.locator("#positions")).to_contain_text("1 object")
    page.get_by_role("button", name="Close: consensus not reached").click()
    expect(page.locator("main")).to_contain_text("Tabled to UN Country Team Kenya")
    assert Proposal.objects.get().status == "escalated"

    # 4. The UNCT meets and decides; the decision enters the register with its number.
    page.get_by_role("link", name="Record the UNCT meeting and decision").click()
    field(page, "UNCT meeting (if not kept here)").fill("UNCT Heads of Agency, monthly meeting")
    field(page, "The UNCT's decision").select_option("adopted")
    field(page, "Decided on").fill(today.isoformat())
    field(page, "What the UNCT decided").fill("Adopted, with UNHCR's protection safeguards added.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(proposal_url)
    number = f"KEN/{today.year}/001"
    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator("main")).to_contain_text("The UNCT, after escalation")
    expect(page.locator("main")).to_contain_text("Adopted by the UNCT")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Decisions").click()
    page.get_by_label("Search").fill("labour migration bill")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table")).to_contain_text(number)
    assert Decision.objects.get().adopted_by == "unct"
