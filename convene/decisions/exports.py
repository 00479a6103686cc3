"""The decision register as a spreadsheet (XLSX) and as a printable record (PDF, Typst): a table."""

from pathlib import Path

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from convene.core import documents
from convene.core import spreadsheets as sheets
from convene.core.dates import show_date
from convene.networks.models import Body

from .models import Decision

XLSX_TYPE = sheets.XLSX_TYPE
TEMPLATE = Path(__file__).parent / "typst" / "register.typ"

__all__ = ["XLSX_TYPE", "exported", "register_pdf", "register_xlsx"]


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


def exported(decisions):
    """The decisions as the exports read them: the linked decisions' numbers as values, no joined
    instances (which cost three times the query in a 2,000-decision export)."""
    return decisions.select_related(None).annotate(
        amends_number=F("amends__number"), supersedes_number=F("supersedes__number")
    )


def _rows(network, decisions: list) -> list[dict]:
    """Each decision's cells by column key; the date is the network's local date of adoption."""
    how = {k: str(v) for k, v in Decision.AdoptedBy.choices}
    bodies = {b.pk: b.tr.name for b in Body.objects.filter(pk__in={d.body_id for d in decisions})}
    superseded, amended, in_force = _("Superseded"), _("Amended"), _("In force")
    return [
        {
            "number": d.number,
            "title": d.title,
            "text": d.text,
            "body": bodies[d.body_id],
            "adopted_on": network.today(d.adopted_at),
            "adopted_by": how[d.adopted_by],
            "topic": d.topic,
            "status": superseded
            if d.superseded_by_numbers
            else amended
            if d.amended_by_numbers
            else in_force,
            "amends": d.amends_number or "",
            "supersedes": d.supersedes_number or "",
            "amended_by": ", ".join(d.amended_by_numbers),
            "superseded_by": ", ".join(d.superseded_by_numbers),
        }
        for d in decisions
    ]


def register_xlsx(network, decisions: list) -> bytes:
    book = sheets.Book(title=f"{_('Register of decisions')} — {network.name}", author=network.name)
    book.table(_("Decisions"), COLUMNS, _rows(network, decisions), freeze="B2")
    return book.save()


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
