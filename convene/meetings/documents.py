"""Agenda and minutes as documents: PDF (Typst) and Word (python-docx), and the offline meeting pack."""

import contextlib
import io
import zipfile
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from convene.core import documents as common
from convene.core.dates import show_date, show_datetime, show_time
from convene.core.files import Missing, read_stored
from convene.library.permissions import visible_documents

from . import calendar, services
from .models import AgendaItem, Attendance, Meeting, Minutes

TEMPLATE = Path(__file__).parent / "typst" / "record.typ"
DOCX_TYPE = common.DOCX_TYPE


def _when(meeting: Meeting) -> str:
    start, end = meeting.local_start, meeting.local_end
    return f"{show_datetime(start, weekday=True)}–{show_time(end)} ({meeting.timezone})"


def _facts(meeting: Meeting) -> list[list[str]]:
    facts = [[_("Body"), meeting.body.tr.name], [_("Date"), _when(meeting)]]
    if meeting.location:
        facts.append([_("Place"), meeting.location])
    if meeting.online_url:
        facts.append([_("Online"), meeting.online_url])
    if meeting.called_by_id:
        facts.append([_("Called by"), f"{meeting.called_by} — {meeting.call_reason}"])
    return facts


def labels() -> dict:
    """The record's own words, in the reader's language (the PDF and the Word file share them)."""
    return {
        "present": _("Present"),
        "apologies": _("Apologies"),
        "summary": _("Summary"),
        "decision": _("Decision: ").strip(),
        "actions": _("Action points: ").strip(),
        "none": _("None."),
    }


def file_name(meeting: Meeting, what: str, extension: str) -> str:
    """`kenya-agenda-2026-12-21.pdf`: named by the meeting's local date."""
    return common.download_name(meeting.network, what, meeting.local_start.date(), extension)


def agenda_data(meeting: Meeting) -> dict:
    items = meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED).select_related("presenter")
    return {
        "lang": common.language(),
        "labels": labels(),
        "network": str(meeting.network.tr.name),
        "title": _("Agenda: %(m)s") % {"m": meeting.title},
        "subtitle": f"{meeting.get_kind_display()} — {meeting.get_status_display()}",
        "classification": _("For internal use of the network"),
        "facts": _facts(meeting),
        "items_heading": _("Agenda"),
        "items": [
            {
                "title": item.title,
                "meta": " · ".join(
                    str(x)
                    for x in (
                        item.get_kind_display(),
                        item.presenter or "",
                        _("%(n)d min") % {"n": item.duration_minutes} if item.duration_minutes else "",
                    )
                    if x
                ),
                "paragraphs": [p for p in item.description.split("\n") if p.strip()],
            }
            for item in items
        ],
    }


def minutes_data(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    attendance = list(meeting.attendance.select_related("organisation", "person"))

    def who(a: Attendance) -> str:
        name = a.person.full_name if a.person else a.designate_name
        return f"{a.organisation} ({name})" if name else str(a.organisation)

    status = minutes.get_status_display()
    if minutes.approved_at:
        status += " " + show_date(timezone.localtime(minutes.approved_at, meeting.zone))
    closing = minutes.approval_note
    if minutes.corrects_id:
        link = (
            _("This version revises version %(v)d, circulated for comments.")
            if minutes.corrects.status == minutes.Status.REVISED
            else _("This version corrects version %(v)d.")
        )
        closing = link % {"v": minutes.corrects.version} + " " + closing
    return {
        "lang": common.language(),
        "labels": labels(),
        "network": str(meeting.network.tr.name),
        "title": _("Minutes: %(m)s") % {"m": meeting.title},
        "subtitle": _("Version %(v)d — %(s)s") % {"v": minutes.version, "s": status},
        "classification": _("For internal use of the network"),
        "facts": _facts(meeting),
        "present": [who(a) for a in attendance if a.status == Attendance.Status.PRESENT],
        "apologies": [str(a.organisation) for a in attendance if a.status == Attendance.Status.APOLOGIES],
        "summary": minutes.summary,
        "items_heading": _("Proceedings"),
        "items": [
            {
                "title": item.title,
                "paragraphs": [p for p in item.notes.split("\n") if p.strip()],
                "decisions": item.decisions,
                "actions": item.action_points,
            }
            for item in minutes.items.all()
        ],
        "closing": closing,
    }


def pdf(data: dict) -> bytes:
    return common.typst_pdf(TEMPLATE, data)


def docx(data: dict) -> bytes:
    """The same record as Word: A4 with the PDF's margins, page numbers, properties and language."""
    from convene.core import word  # python-docx, loaded only for Word files

    words = data.get("labels") or labels()
    doc = word.word_document(title=data["title"], author=data["network"], code=data.get("lang"))
    doc.add_paragraph(data["network"].upper()).runs[0].font.size = word.Pt(8.5)
    doc.add_paragraph(data["title"], style="Title")
    doc.add_paragraph(data["subtitle"])
    word.facts(doc, data["facts"])
    for key in ("present", "apologies"):
        if data.get(key):
            doc.add_heading(words[key], level=2)
            doc.add_paragraph("; ".join(data[key]) + ".")
    if data.get("summary"):
        doc.add_heading(words["summary"], level=2)
        doc.add_paragraph(data["summary"])
    doc.add_heading(data["items_heading"], level=2)
    for n, item in enumerate(data["items"], start=1):
        doc.add_heading(f"{n}. {item['title']}", level=3)
        if item.get("meta"):
            doc.add_paragraph(item["meta"]).runs[0].italic = True
        for para in item.get("paragraphs", []):
            doc.add_paragraph(para)
        for key, field in (("decision", "decisions"), ("actions", "actions")):
            if item.get(field):
                paragraph = doc.add_paragraph()
                paragraph.add_run(words[key] + " ").bold = True
                paragraph.add_run(item[field])
    if not data["items"]:
        doc.add_paragraph(words["none"])
    if data.get("closing"):
        doc.add_paragraph(data["closing"]).runs[0].font.size = word.Pt(9)
    word.page_footer(doc, data["classification"])
    return word.word_bytes(doc)


def meeting_pack(meeting: Meeting, *, reader) -> bytes:
    """Agenda (PDF and Word), the papers `reader` may see, the invitation and the approved minutes:
    one zip to read offline on a slow connection."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
        items = list(
            meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED)
            .prefetch_related("documents")
            .order_by("order", "pk")
        )
        readable = {d.pk for d in visible_documents(reader, [d for i in items for d in i.documents.all()])}
        for n, item in enumerate(items, start=1):
            for doc in item.documents.all():
                if doc.pk in readable:
                    with contextlib.suppress(Missing):  # logged; the pack holds the papers stored
                        pack.writestr(f"papers/{n:02d}-{doc.filename}", read_stored(doc.file))
        agenda = agenda_data(meeting)
        pack.writestr(file_name(meeting, "agenda", "pdf"), pdf(agenda))
        pack.writestr(file_name(meeting, "agenda", "docx"), docx(agenda))
        pack.writestr(
            file_name(meeting, "invitation", "ics"),
            calendar.invitation(meeting, attendees=services.invitees(meeting)),
        )
        minutes = services.approved_minutes(meeting)
        if minutes:
            pack.writestr(
                file_name(meeting, f"minutes-v{minutes.version}", "pdf"), pdf(minutes_data(minutes))
            )
    return out.getvalue()
