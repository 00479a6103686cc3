"""The decision register as a spreadsheet (XLSX) and as a printable record (PDF, Typst)."""

import io
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from convene.meetings.documents import pdf
from convene.networks.exports import XLSX_TYPE, _safe

from .models import Decision

__all__ = ["XLSX_TYPE", "register_pdf", "register_xlsx"]


# The register's columns: a key, its label, and how to read it from a decision.
COLUMNS = [
    ("number", gettext_lazy("Number")),
    ("title", gettext_lazy("Title")),
    ("text", gettext_lazy("Text")),
    ("body", gettext_lazy("Body")),
    ("adopted_on", gettext_lazy("Adopted on")),
    ("adopted_by", gettext_lazy("How adopted")),
    ("topic", gettext_lazy("Topic")),
    ("amends", gettext_lazy("Amends")),
    ("supersedes", gettext_lazy("Supersedes")),
    ("amended_by", gettext_lazy("Amended by")),
    ("superseded_by", gettext_lazy("Superseded by")),
]
LINKS = ("amends", "supersedes", "amended_by", "superseded_by")


def _row(zone: ZoneInfo, d, how: dict) -> dict:
    """One decision's cells by column key (labels are looked up once per export, not per row)."""
    return {
        "number": d.number,
        "title": d.title,
        "text": d.text,
        "body": d.body.tr.name,
        "adopted_on": timezone.localtime(d.adopted_at, zone).date().isoformat(),
        "adopted_by": how[d.adopted_by],
        "topic": d.topic,
        "amends": d.amends.number if d.amends_id else "",
        "supersedes": d.supersedes.number if d.supersedes_id else "",
        "amended_by": ", ".join(d.amended_by_numbers),
        "superseded_by": ", ".join(d.superseded_by_numbers),
    }


def _rows(network, decisions: list) -> list[dict]:
    zone, how = network.zone, {k: str(v) for k, v in Decision.AdoptedBy.choices}
    return [_row(zone, d, how) for d in decisions]


def register_xlsx(network, decisions: list) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Decisions")[:31]
    ws.append([str(label) for _key, label in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in _rows(network, decisions):
        ws.append([_safe(row[key]) for key, _label in COLUMNS])
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


def register_pdf(network, decisions: list) -> bytes:
    """The register as a record: one numbered entry per decision, with its links."""
    items, labels = [], dict(COLUMNS)
    for d, row in zip(decisions, _rows(network, decisions), strict=True):
        links = [f"{labels[key]}: {row[key]}" for key in LINKS if row[key]]
        items.append(
            {
                "title": f"{d.number} — {d.title}",
                "meta": " · ".join(
                    x for x in (row["adopted_on"], row["body"], row["adopted_by"], row["topic"]) if x
                ),
                "paragraphs": [p for p in d.text.split("\n") if p.strip()],
                "note": "; ".join(links),
            }
        )
    today = network.today()
    data = {
        "network": str(network.tr.name),
        "title": _("Register of decisions"),
        "subtitle": _("%(n)d decisions, as of %(d)s") % {"n": len(decisions), "d": today.isoformat()},
        "classification": _("For internal use of the network"),
        "facts": [],
        "items_heading": _("Decisions"),
        "items": items,
    }
    return pdf(data)
