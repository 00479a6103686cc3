"""The decision register as a spreadsheet (XLSX) and as a printable record (PDF, Typst)."""

import io
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from convene.meetings.documents import pdf
from convene.networks.exports import XLSX_TYPE, _safe

__all__ = ["XLSX_TYPE", "register_pdf", "register_xlsx"]


def _row(network, d) -> dict:
    adopted = timezone.localtime(d.adopted_at, ZoneInfo(network.timezone))
    return {
        _("Number"): d.number,
        _("Title"): d.title,
        _("Text"): d.text,
        _("Body"): d.body.name,
        _("Adopted on"): adopted.date().isoformat(),
        _("How adopted"): d.get_adopted_by_display(),
        _("Topic"): d.topic,
        _("Amends"): d.amends.number if d.amends_id else "",
        _("Supersedes"): d.supersedes.number if d.supersedes_id else "",
        _("Amended by"): ", ".join(d.amended_by_numbers),
        _("Superseded by"): ", ".join(d.superseded_by_numbers),
    }


def register_xlsx(network, decisions: list) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Decisions")[:31]
    rows = [_row(network, d) for d in decisions]
    ws.append([str(h) for h in _row_header()])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_safe(str(v)) for v in row.values()])
    widths = {"A": 16, "B": 40, "C": 80, "D": 24}
    for column, width in widths.items():
        ws.column_dimensions[column].width = width
    for cell in ws["C"][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row_header() -> list[str]:
    return [
        _("Number"), _("Title"), _("Text"), _("Body"), _("Adopted on"), _("How adopted"), _("Topic"),
        _("Amends"), _("Supersedes"), _("Amended by"), _("Superseded by"),
    ]  # fmt: skip


def register_pdf(network, decisions: list) -> bytes:
    """The register as a record: one numbered entry per decision, with its links."""
    items = []
    for d in decisions:
        row = _row(network, d)
        links = [
            f"{label}: {row[label]}"
            for label in (_("Amends"), _("Supersedes"), _("Amended by"), _("Superseded by"))
            if row[label]
        ]
        items.append(
            {
                "title": f"{d.number} — {d.title}",
                "meta": " · ".join(
                    x for x in (row[_("Adopted on")], d.body.name, row[_("How adopted")], d.topic) if x
                ),
                "paragraphs": [p for p in d.text.split("\n") if p.strip()],
                "note": "; ".join(links),
            }
        )
    today = timezone.localdate(timezone=ZoneInfo(network.timezone))
    data = {
        "network": str(network.name),
        "title": _("Register of decisions"),
        "subtitle": _("%(n)d decisions, as of %(d)s") % {"n": len(decisions), "d": today.isoformat()},
        "classification": _("For internal use of the network"),
        "facts": [],
        "items_heading": _("Decisions"),
        "items": items,
    }
    return pdf(data)
