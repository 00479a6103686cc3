"""In a real browser: the Secretariat imports a workplan from Excel, the lead organisation records
its progress, and the Secretariat issues the quarterly report, which arrives by e-mail as a PDF that
says what the records say.

Drives Debian's Chromium through Playwright against pytest-django's live server.
"""

import datetime
import email
import email.policy
import io
import re
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from convene.core.testing import sign_in
from convene.reports.models import ReportVersion
from convene.workplans import spreadsheet
from convene.workplans.models import Activity, ProgressUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def field(page, label):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def workbook(year_rows) -> bytes:
    wb = Workbook()
    for row in year_rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_a_workplan_record_progress_and_issue_the_quarterly_report(
    browser, live_server, page, kenya, seat, kenya_secretariat, smtp_server, run_worker, tmp_path
):
    from playwright.sync_api import expect

    ilo = seat(kenya, "network", "ILO")
    today = datetime.datetime.now(ZoneInfo(kenya.timezone)).date()
    quarter = (today.month - 1) // 3 + 1
    header = spreadsheet.HEADERS
    row = dict.fromkeys(header, "")
    row |= {
        "code": "1.1", "title": "Fair recruitment training", "lead organisation": "ILO",
        "participating organisations": "IOM", "start quarter": f"Q{quarter}", "end quarter": "Q4",
        "budget": 80000, "funded": 50000, "GCM objectives": "6", "SDG targets": "10.7, 8.8",
    }  # fmt: skip
    bad = row | {"code": "1.2", "lead organisation": "NOBODY", "GCM objectives": "24"}
    bad_file, good_file = tmp_path / "bad.xlsx", tmp_path / "workplan.xlsx"
    bad_file.write_bytes(workbook([header, [row[h] for h in header], [bad[h] for h in header]]))
    good_file.write_bytes(workbook([header, [row[h] for h in header]]))

    # 1. The Secretariat creates this year's workplan and imports it: a bad file first.
    sign_in(page, kenya_secretariat)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Workplans").click()
    field(page, "Year").fill(str(today.year))
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"/n/kenya/workplans/\d+/$"))
    workplan_url = page.url
    page.get_by_role("link", name="Import from Excel or CSV").click()
    page.set_input_files("input[type=file]", str(bad_file))
    page.get_by_role("button", name="Import").click()
    report = page.get_by_role("alert")
    expect(report).to_contain_text("Nothing was imported")
    expect(report).to_contain_text("unknown organisation")
    expect(report).to_contain_text("no GCM objective 24")
    assert not Activity.objects.exists()
    page.set_input_files("input[type=file]", str(good_file))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(workplan_url)
    expect(page.locator("main")).to_contain_text("Fair recruitment training")
    expect(page.locator("main")).to_contain_text("30,000")  # the gap

    # 2. ILO's representative records this quarter's progress on its activity.
    context = browser.new_context(base_url=live_server.url)
    lead = context.new_page()
    try:
        sign_in(lead, ilo)
        lead.goto(workplan_url)
        lead.get_by_role("link", name="1.1 Fair recruitment training").click()
        field(lead, "Narrative").fill("Curriculum agreed with the Ministry; first session held.")
        field(lead, "Percent complete").fill("35")
        field(lead, "Rating").select_option("green")
        lead.get_by_role("button", name="Save").click()
        expect(lead.locator("main")).to_contain_text("Curriculum agreed with the Ministry")
    finally:
        context.close()
    assert ProgressUpdate.objects.get().percent == 35

    # 3. The Secretariat creates the quarterly report for the UNCT, writes its summary and issues it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    field(page, "Audience").select_option("unct")
    field(page, "Period").select_option("quarter")
    field(page, "Year").fill(str(today.year))
    field(page, "Which quarter or half").fill(str(quarter))
    field(page, "Recipients (e-mail addresses)").fill("rco.kenya@un.test")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"/n/kenya/reports/\d+/$"))
    expect(page.locator("article")).to_contain_text(
        "1 activities, 0 completed; 1 reported progress, 35 % on average"
    )
    field(page, "Summary").fill("The Network launched its fair recruitment work this quarter.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Issue the report").click()
    # Look before you send: the e-mail and its recipient; nothing issued yet.
    expect(page.get_by_role("heading", name="1 recipient", exact=True)).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("rco.kenya@un.test")
    expect(page.get_by_test_id("subject")).to_contain_text("(version 1)")
    assert not ReportVersion.objects.exists()
    page.get_by_role("button", name="Issue and send").click()
    expect(page.locator("main")).to_contain_text("Version 1 issued")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "fair recruitment work this quarter" in text and "35 % on average" in text
    assert ReportVersion.objects.get().version == 1

    run_worker()
    [envelope] = [e for e in smtp_server.received if "rco.kenya@un.test" in e.rcpt_tos]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    [pdf] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert "Version 1" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_content())).pages)
