"""The decision register as a spreadsheet (XLSX) and as a printable record (PDF, Typst): a table."""

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from convene.core import documents
from convene.core import spreadsheets as sheets
from convene.core.dates import show_date

from .models import Decision

XLSX_TYPE = sheets.XLSX_TYPE
TEMPLATE = Path(__file__).parent / "typst" / "register.typ"

__all__ = ["XLSX_TYPE", "register_pdf", "register_xlsx"]


# The register's columns: a key, its header, its width and format.
COLUMNS = [
    sheets.Column("number", gettext_lazy("Number"), 14),
    sheets.Column("title", gettext_lazy("Title"), 40, wrap=True),
    sheets.Column("text", gettext_lazy("Text"), 70, wrap=True),
    sheets.Column("body", gettext_lazy("Body"), 24, wrap=True),
    sheets.Column("adopted_on", gettext_lazy("Adopted on"), 12, sheets.DATE),
    sheets.Column("adopted_by", gettext_lazy("How adopted"), 24, wrap=True),
    sheets.Column("topic", gettext_lazy("Topic"), 18),
    sheets.Column("status", gettext_lazy("Status"), 14),
    sheets.Column("amends", gettext_lazy("Amends"), 14),
    sheets.Column("supersedes", gettext_lazy("Supersedes"), 14),
    sheets.Column("amended_by", gettext_lazy("Amended by"), 14),
    sheets.Column("superseded_by", gettext_lazy("Superseded by"), 14),
]
LINKS = ("amends", "supersedes", "amended_by", "superseded_by")


def _status(d) -> str:
    if d.superseded_by_numbers:
        return _("Superseded")
    if d.amended_by_numbers:
        return _("Amended")
    return _("In force")


def _row(network, d, how: dict) -> dict:
    """One decision's cells by column key; the date is the network's local date of adoption."""
    return {
        "number": d.number,
        "title": d.title,
        "text": d.text,
        "body": d.body.tr.name,
        "adopted_on": network.today(d.adopted_at),
        "adopted_by": how[d.adopted_by],
        "topic": d.topic,
        "status": _status(d),
        "amends": d.amends.number if d.amends_id else "",
        "supersedes": d.supersedes.number if d.supersedes_id else "",
        "amended_by": ", ".join(d.amended_by_numbers),
        "superseded_by": ", ".join(d.superseded_by_numbers),
    }


def _rows(network, decisions: list) -> list[dict]:
    how = {k: str(v) for k, v in Decision.AdoptedBy.choices}
    return [_row(network, d, how) for d in decisions]


def register_xlsx(network, decisions: list) -> bytes:
    wb = sheets.workbook(
        title=f"{_('Register of decisions')} — {network.name}",
        author=str(network.name),
        language=documents.language(),
    )
    ws = wb.active
    ws.title = _("Decisions")[:31]
    sheets.table_sheet(ws, COLUMNS, _rows(network, decisions), freeze="B2")
    return sheets.save(wb)


def register_pdf(network, decisions: list) -> bytes:
    """The register as a table: number, title and text, body, adopted on, how, status and links."""
    labels = {c.key: str(c.label) for c in COLUMNS}
    rows = []
    for d, row in zip(decisions, _rows(network, decisions), strict=True):
        rows.append(
            {
                "number": row["number"],
                "title": row["title"],
                "paragraphs": [p for p in d.text.split("\n") if p.strip()],
                "body": row["body"],
                "adopted_on": show_date(row["adopted_on"]),
                "adopted_by": row["adopted_by"] + (f" · {row['topic']}" if row["topic"] else ""),
                "status": row["status"],
                "links": [f"{labels[key]}: {row[key]}" for key in LINKS if row[key]],
            }
        )
    data = {
        "network": str(network.tr.name),
        "title": _("Register of decisions"),
        "subtitle": ngettext("%(n)d decision, as of %(d)s", "%(n)d decisions, as of %(d)s", len(decisions))
        % {"n": len(decisions), "d": show_date(network.today())},
        "classification": _("For internal use of the network"),
        "header": [
            labels["number"],
            labels["title"],
            labels["body"],
            labels["adopted_on"],
            labels["adopted_by"],
            labels["status"],
        ],
        "rows": rows,
        "empty": _("None."),
    }
    return documents.typst_pdf(TEMPLATE, data)
