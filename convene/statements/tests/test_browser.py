"""In a real browser: Kazakhstan's co-chairs draft a statement in Russian and English and put it to
the members; UNICEF clears, UNHCR comments on a paragraph; a second (editorial) version; the rest
clear by silence at the deadline; both co-chairs sign off and the PDF downloads.

Drives Debian's Chromium through Playwright against pytest-django's live server.
"""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from convene.core.testing import PASSWORD
from convene.statements import services
from convene.statements.models import Round, Statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Joint statement on decent work for migrant workers"


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/n/kazakhstan/$"))


def test_co_chairs_draft_members_clear_and_anyone_reads_it_on_the_public_page(
    browser, live_server, page, kazakhstan, seat
):
    from playwright.sync_api import expect

    rc = seat(kazakhstan, "co-chairs", "UN RCO", role="co_chair")
    iom = seat(kazakhstan, "co-chairs", "IOM", role="co_chair")
    unicef = seat(kazakhstan, "network", "UNICEF")
    unhcr = seat(kazakhstan, "network", "UNHCR")

    # 1. A co-chair drafts it in Russian (authoritative) and English, and puts it to the members.
    sign_in(page, rc)
    page.goto("/n/kazakhstan/statements/")
    page.get_by_role("link", name="New statement").click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_audience").select_option("public")
    page.locator('input[name="concerns_state"][value="0"]').check()  # not a matter for the Ministry
    page.locator("#id_authoritative_language").select_option("ru")
    page.locator("#id_title_ru").fill("Совместное заявление о достойном труде")
    page.locator("#id_text_ru").fill("Первый абзац.\n\nВторой абзац.")
    page.locator("#id_title_en").fill(TITLE)
    page.locator("#id_text_en").fill("First paragraph.\n\nSecond paragraph.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/n/kazakhstan/statements/\d+/$"))
    statement_url = page.url
    page.get_by_role("button", name="Put to clearance").click()
    expect(page.locator("#clearance")).to_contain_text("Clearance")
    statement = Statement.objects.get()
    assert statement.status == "clearance"

    # 2. UNICEF clears; UNHCR comments on the second paragraph.
    for user, act in ((unicef, "clear"), (unhcr, "comment")):
        context = browser.new_context(base_url=live_server.url)
        member = context.new_page()
        try:
            sign_in(member, user)
            member.get_by_role("link", name=TITLE).first.click()  # awaiting their clearance
            if act == "clear":
                member.get_by_label("Cleared", exact=True).check()
                member.locator("#answer ~ form").get_by_role("button", name="Save").click()
                expect(member.locator("main")).to_contain_text("Answer of UNICEF recorded.")
            else:
                paragraph = member.locator("#p2")
                paragraph.locator("summary").click()
                paragraph.locator("textarea").fill("Name the ILO conventions.")
                paragraph.get_by_role("button", name="Save").click()
                expect(member.locator("#p2")).to_contain_text("UNHCR: Name the ILO conventions.")
        finally:
            context.close()

    # 3. A second, editorial version: UNICEF's clearance still counts.
    page.goto(statement_url)
    page.get_by_role("link", name="New version").click()
    page.locator("#id_text_en").fill("First paragraph.\n\nSecond paragraph, naming the ILO conventions.")
    page.get_by_label("Editorial change").check()
    page.locator("#id_note").fill("Names the ILO conventions")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(statement_url)
    expect(page.locator("#versions ~ div")).to_contain_text("Names the ILO conventions")

    # 4. The deadline passes: the rest are deemed to have cleared.
    round = Round.objects.get(statement=statement)
    assert round.version.number == 2
    services.close_due_rounds(now=round.deadline + datetime.timedelta(minutes=1))
    statement.refresh_from_db()
    assert statement.status == "cleared"

    # 5. Both co-chairs sign off; it is issued in the name of the network.
    page.goto(statement_url)
    page.get_by_role("button", name="Sign off for UN RCO").click()
    expect(page.locator("main")).to_contain_text("Signed off for UN RCO.")
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    other = context.new_page()
    try:
        sign_in(other, iom)
        other.goto(statement_url)
        other.get_by_role("button", name="Sign off for IOM").click()
        expect(other.locator("main")).to_contain_text("Issued")
    finally:
        context.close()
    statement.refresh_from_db()
    assert statement.status == "issued" and statement.signed_by_network

    # 6. The PDF downloads, with the signatory line.
    page.goto(statement_url + "?lang=en")
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    download = info.value
    assert re.fullmatch(r"kazakhstan-statement-en-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as fh:
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages).split())
    assert "naming the ILO conventions" in text and services.signatory_line(statement, "en") in text

    # 7. A statement for the public is released when issued: anyone reads it on the network's public
    # page, in their language, and downloads its PDF.
    anonymous = browser.new_context(base_url=live_server.url, accept_downloads=True, locale="en-GB")
    visitor = anonymous.new_page()
    try:
        visitor.goto("/p/kazakhstan/")
        visitor.get_by_role("link", name=TITLE).click()
        expect(visitor.locator("main")).to_contain_text("naming the ILO conventions")
        expect(visitor.locator("main")).to_contain_text(services.signatory_line(statement, "en"))
        with visitor.expect_download() as info:
            visitor.get_by_role("link", name="Download").click()
        with open(info.value.path(), "rb") as fh:
            assert fh.read(4) == b"%PDF"
        visitor.goto(statement_url)
        assert "/accounts/login/" in visitor.url  # the internal page stays behind sign-in
    finally:
        anonymous.close()
