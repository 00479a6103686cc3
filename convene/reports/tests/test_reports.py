"""Reports from the records: figures checked against records made here, narrative by the Secretariat,
issued versions frozen, the PDF and Word files open and say what the records say, sent by e-mail."""

import base64
import datetime
import html
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from convene.accounts.models import User
from convene.core.models import OutboundEmail
from convene.decisions import services as decisions
from convene.meetings import services as meetings
from convene.networks.models import Organisation
from convene.reports import services
from convene.reports.models import ReportVersion
from convene.workplans import services as workplans
from convene.workplans.models import GcmObjective

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock

YEAR = 2026


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


@pytest.fixture
def records(kenya, kenya_secretariat):
    """In Q1 2026: one plenary meeting held with 2 of 21 members present; one decision adopted with
    an action item done on time and one overdue; a workplan with two activities and progress."""
    zone = ZoneInfo(kenya.timezone)
    start = datetime.datetime(YEAR, 2, 10, 10, tzinfo=zone)
    plenary = kenya.bodies.get(slug="network")
    meeting = meetings.schedule_meeting(
        by=None,
        body=plenary,
        title="Q1 plenary",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    meetings.record_attendance(
        by=None,
        meeting=meeting,
        rows=[
            {"organisation": org(a), "status": "present", "designate_name": f"{a} rep"}
            for a in ("IOM", "ILO")
        ],
    )
    meetings.mark_held(by=None, meeting=meeting)
    proposal = decisions.propose(
        by=None,
        network=kenya,
        body=kenya.bodies.get(slug="executive-committee"),
        title="Adopt the data strategy",
        text="Adopted.",
        now=start,
    )
    decisions.close_proposal(by=None, proposal=proposal, now=start + datetime.timedelta(days=1))
    decision = proposal.decision
    done = decisions.create_action_item(
        by=None, network=kenya, decision=decision, title="Draft", owner_organisation=org("IOM"),
        due_date=datetime.date(YEAR, 3, 1),
    )  # fmt: skip
    decisions.report_progress(
        by=None, action=done, text="Done", status="done", today=datetime.date(YEAR, 2, 20)
    )
    decisions.create_action_item(
        by=None, network=kenya, decision=decision, title="Late", owner_organisation=org("ILO"),
        due_date=datetime.date(YEAR, 3, 15),
    )  # fmt: skip
    workplan = workplans.create_workplan(by=None, network=kenya, year=YEAR)
    for code, lead, objective, budget in (("1", "ILO", 6, 1000), ("2", "IOM", 1, 3000)):
        activity = workplans.add_activity(
            by=None, workplan=workplan, code=code, title=f"Activity {code}", lead_organisation=org(lead),
            start_quarter=1, end_quarter=2, budget=budget, funded=budget // 2,
            gcm_objectives=list(GcmObjective.objects.filter(number=objective)),
        )  # fmt: skip
        workplans.report_progress(
            by=None, activity=activity, year=YEAR, quarter=1, narrative="On track", percent=40, rag="green"
        )
    return kenya


def q1_report(network, by, **extra):
    return services.create_report(
        by=by, network=network, audience="unct", period="quarter", year=YEAR, number=1,
        recipients=["rco@un.test", "Rco@un.test ", "gov@example.test"], **extra,
    )  # fmt: skip


def test_periods(db):
    assert services.period_dates("quarter", 2026, 4) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert services.period_dates("half", 2026, 1) == (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert services.period_dates("year", 2026) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    with pytest.raises(ValidationError):
        services.period_dates("quarter", 2026, 5)


def test_the_figures_are_those_of_the_records(records, kenya_secretariat):
    report = q1_report(records, kenya_secretariat)
    assert report.recipients == ["rco@un.test", "gov@example.test"]
    document = services.preview(report)
    text = repr(document)
    assert "met in 1 of 1 quarters" in text
    assert "Attendance: 10 % of member seats represented" in text  # 2 of the plenary's 21 members
    assert ["2026-02-10", "Q1 plenary", "Kenya UN Network on Migration", "2/21"] in document["sections"][0][
        "table"
    ]["rows"]
    assert "1 decision adopted (1 by consensus, 0 by the UNCT)" in text
    assert "done 1 (1 on time); overdue 1" in text
    assert "2 activities, 0 completed; 2 reported progress, 40 % on average" in text
    assert "GCM objectives covered: 2 of 23" in text
    assert "Budget 4,000: funded 2,000, in the pipeline 0, gap 2,000." in text
    assert "KEN/2026/001" in text


def test_issuing_freezes_a_version_sends_it_and_reissuing_adds_one(records, kenya_secretariat):
    report = q1_report(records, kenya_secretariat)
    services.update_report(
        by=kenya_secretariat,
        report=report,
        narrative={"summary": "A quarter of steady progress.", "outlook": "Funding the gap.", "bogus": "x"},
    )
    User.objects.create_user(email="rco@un.test", full_name="RCO", language="sw")
    first = services.issue_report(by=kenya_secretariat, report=report)
    assert first.version == 1 and "bogus" not in report.narrative
    [mail, swahili] = OutboundEmail.objects.filter(topic="report").order_by("to")

    def pdf_text(message):
        [attachment] = message.attachments
        pages = PdfReader(io.BytesIO(base64.b64decode(attachment["content"]))).pages
        return "".join(p.extract_text() for p in pages)

    assert all(
        text in pdf_text(mail) for text in ("A quarter of steady progress.", "KEN/2026/001", "Version 1")
    )
    assert "Toleo la 1" in pdf_text(swahili) and "Version 1" not in pdf_text(
        swahili
    )  # each reader's language

    services.update_report(by=kenya_secretariat, report=report, narrative={"summary": "Rewritten."})
    second = services.issue_report(by=kenya_secretariat, report=report)
    first.refresh_from_db()
    assert second.version == 2 and "A quarter of steady progress." in repr(first.data)
    assert "Rewritten." in repr(second.data)
    first.data = {}
    with pytest.raises(ValidationError, match="cannot change"):
        first.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        first.delete()
    assert ReportVersion.objects.count() == 2


def test_the_preview_names_known_recipients_and_shows_the_message_sent(
    client, records, kenya_secretariat, kenya_member
):
    report = q1_report(records, kenya_secretariat)
    services.update_report(by=None, report=report, recipients=[kenya_member.email, "rco@un.test"])
    client.force_login(kenya_secretariat)
    page = client.get(reverse("reports:issue", args=["kenya", report.pk])).content.decode()
    assert f"<td>{kenya_member.full_name}</td><td>FAO</td><td>{kenya_member.email}</td>" in page
    assert "<td></td><td></td><td>rco@un.test</td>" in page and "2 recipients" in page
    shown = services.issue_message(report)
    assert html.escape(shown.body) in page and not OutboundEmail.objects.filter(topic="report").exists()

    services.issue_report(by=kenya_secretariat, report=report)
    sent = OutboundEmail.objects.filter(topic="report")
    assert sorted(m.to[0] for m in sent) == shown.to
    assert {m.subject for m in sent} == {shown.subject}
    assert all(m.body.startswith(shown.body.rstrip() + "\n\n-- \n") for m in sent)  # then why they get it
    assert all("sends its reports to this address" in m.body for m in sent)


def test_a_report_without_recipients_is_not_issued(records, kenya_secretariat):
    report = services.create_report(by=None, network=records, audience="government", period="year", year=YEAR)
    with pytest.raises(ValidationError, match="recipients"):
        services.issue_report(by=kenya_secretariat, report=report)
    with pytest.raises(ValidationError, match="Not an e-mail address"):
        services.update_report(by=None, report=report, recipients=["not-an-address"])


def test_an_issued_report_reads_in_each_readers_language(client, records, kenya_secretariat, kenya_member):
    """Issued once (in English here), frozen in every shipped language: a Russian reader downloads
    the Russian document, headings, figures' names and dates included; the narrative as written."""
    with translation.override("en"):
        report = q1_report(records, kenya_secretariat)
        services.update_report(
            by=kenya_secretariat, report=report, narrative={"summary": "A steady quarter."}
        )
        version = services.issue_report(by=kenya_secretariat, report=report)
    assert version.data["lang"] == "en" and version.data["sections"][1]["heading"] == "Meetings"
    assert set(version.data["translations"]) == {"en", "fr", "es", "ru", "ar", "kk", "sw"}
    with translation.override("ru"):
        meetings_heading, period = gettext("Meetings"), gettext("Period")
    assert meetings_heading != "Meetings"
    kenya_member.language = "ru"
    kenya_member.save(update_fields=["language"])
    client.force_login(kenya_member)
    pdf = PdfReader(io.BytesIO(client.get(reverse("reports:pdf", args=["kenya", report.pk, 1])).content))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert meetings_heading in text and period in text and "A steady quarter." in text
    assert pdf.trailer["/Root"]["/Lang"] == "ru"
    word = Document(io.BytesIO(client.get(reverse("reports:docx", args=["kenya", report.pk, 1])).content))
    assert (
        any(meetings_heading in p.text for p in word.paragraphs) and word.core_properties.language == "ru-RU"
    )
    api = client.get(
        f"/api/v1/networks/kenya/reports/{report.pk}/versions/1/", HTTP_ACCEPT_LANGUAGE="ru"
    ).json()
    assert "translations" not in api["data"] and api["data"]["lang"] == "ru"
    # Issued again later, the first version still reads as it was issued.
    version.refresh_from_db()
    assert version.data["translations"]["ru"]["sections"][1]["heading"] == meetings_heading


def test_a_version_issued_before_translations_were_kept_still_downloads(client, records, kenya_secretariat):
    with translation.override("en"):
        report = q1_report(records, kenya_secretariat)
        version = services.issue_report(by=kenya_secretariat, report=report)
    legacy = {k: v for k, v in version.data.items() if k not in ("translations", "lang")}
    ReportVersion.objects.filter(pk=version.pk).update(data=legacy)
    client.force_login(kenya_secretariat)
    response = client.get(reverse("reports:pdf", args=["kenya", report.pk, 1]))
    assert "Meetings" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert client.get(reverse("reports:docx", args=["kenya", report.pk, 1])).status_code == 200


def test_the_pages_issue_and_download_pdf_and_word(client, records, kenya_secretariat, kenya_member):
    client.force_login(kenya_secretariat)
    response = client.post(
        reverse("reports:list", args=["kenya"]),
        {"audience": "unct", "period": "quarter", "year": YEAR, "number": 1, "recipients": "rco@un.test"},
    )
    report_url = response.url
    page = client.get(report_url).content.decode()
    assert "KEN/2026/001" in page and "<svg" in page
    report_id = int(report_url.rstrip("/").split("/")[-1])
    issue = reverse("reports:issue", args=["kenya", report_id])
    preview = client.post(issue).content.decode()  # the button shows the e-mail and recipients first
    assert (
        "rco@un.test" in preview and "(version 1)" in preview and f"kenya-report-{YEAR}-q1-v1.pdf" in preview
    )
    assert not ReportVersion.objects.exists() and not OutboundEmail.objects.exists()
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', preview)[1]
    client.post(issue, {"confirm": "1", "fingerprint": fingerprint})
    assert ReportVersion.objects.get().version == 1
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [["rco@un.test"]]
    client.force_login(kenya_member)  # members read issued reports
    pdf = client.get(reverse("reports:pdf", args=["kenya", report_id, 1]))
    assert pdf["Content-Disposition"] == f'attachment; filename="kenya-report-{YEAR}-q1-v1.pdf"'
    assert PdfReader(io.BytesIO(pdf.content)).pages
    word = client.get(reverse("reports:docx", args=["kenya", report_id, 1]))
    assert word["Content-Disposition"] == f'attachment; filename="kenya-report-{YEAR}-q1-v1.docx"'
    document = Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1 decision adopted" in text
    # Word as people expect it: A4, page numbers, properties, language, repeated headers, the charts.
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    props = document.core_properties
    assert props.author == "Kenya UN Network on Migration" and props.language == "en-GB" and props.title
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert lang.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert grids and all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in grids)
    images = [p for p in document.part.package.parts if p.content_type == "image/png"]
    assert len(document.inline_shapes) == 2 and len(images) == 2  # coverage and funding charts
    assert all(p.blob.startswith(b"\x89PNG") for p in images)
    assert client.post(reverse("reports:issue", args=["kenya", report_id])).status_code == 403
