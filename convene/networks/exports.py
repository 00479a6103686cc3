"""The members list: one row per representative seat (or per membership without one), as an Excel
sheet and as CSV."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.core import spreadsheets as sheets
from convene.core.dates import show_date

from .queries import Structure

XLSX_TYPE = sheets.XLSX_TYPE
COLUMNS = [
    sheets.Column("body", gettext_lazy("Body"), 28),
    sheets.Column("organisation", gettext_lazy("Organisation"), 14),
    sheets.Column("organisation_name", gettext_lazy("Organisation name"), 40, wrap=True),
    sheets.Column("role", gettext_lazy("Role"), 16),
    sheets.Column("start", gettext_lazy("Term start"), 12, sheets.DATE),
    sheets.Column("end", gettext_lazy("Term end"), 12, sheets.DATE),
    sheets.Column("representative", gettext_lazy("Representative"), 26),
    sheets.Column("kind", gettext_lazy("Principal / alternate"), 14),
    sheets.Column("job_title", gettext_lazy("Job title"), 28, wrap=True),
    sheets.Column("email", gettext_lazy("E-mail"), 32),
    sheets.Column("phone", gettext_lazy("Phone"), 18),
    sheets.Column("participation_level", gettext_lazy("Participation level"), 18),
]


def _term(m) -> str:
    if m.start_date and m.end_date:
        return f"{show_date(m.start_date)} – {show_date(m.end_date)}"
    if m.end_date:
        return f"– {show_date(m.end_date)}"
    return ""


def member_rows(structure: Structure) -> list[dict]:
    rows = []
    for body in structure.bodies:
        for m in body.current_memberships:
            base = {
                "body": body.tr.name,
                "organisation": m.organisation.acronym,
                "organisation_name": m.organisation.tr.name,
                "role": m.get_role_display(),
                "term": _term(m),
                "start": m.start_date,
                "end": m.end_date,
            }
            reps = list(m.representatives.all())
            if not reps:
                rows.append(
                    {
                        **base,
                        "representative": "",
                        "kind": "",
                        "job_title": "",
                        "email": "",
                        "phone": "",
                        "participation_level": "",
                    }
                )
            for r in reps:
                rows.append(
                    {
                        **base,
                        "representative": r.person.full_name,
                        "kind": r.get_kind_display(),
                        "job_title": r.person.job_title,
                        "email": r.person.email,
                        "phone": r.person.phone,
                        "participation_level": r.participation_level,
                    }
                )
    return rows


def _cells(row: dict) -> list:
    return [row[c.key] for c in COLUMNS]


def members_csv(structure: Structure) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel on Windows shows «Министерство» as written."""
    return sheets.csv_bytes([c.label for c in COLUMNS], (_cells(r) for r in member_rows(structure)))


def members_xlsx(structure: Structure) -> bytes:
    network = structure.network
    book = sheets.Book(title=f"{_('Members list')} — {network.name}", author=network.name)
    book.table(_("Members"), COLUMNS, (_cells(r) for r in member_rows(structure)))
    return book.save()
