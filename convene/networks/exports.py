"""The members list: one row per representative seat (or per membership without one)."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .queries import Structure

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = [
    ("body", _("Body")),
    ("organisation", _("Organisation")),
    ("organisation_name", _("Organisation name")),
    ("role", _("Role")),
    ("term", _("Term")),
    ("representative", _("Representative")),
    ("kind", _("Principal / alternate")),
    ("job_title", _("Job title")),
    ("email", _("E-mail")),
    ("phone", _("Phone")),
    ("participation_level", _("Participation level")),
]


def _term(m) -> str:
    if m.start_date and m.end_date:
        return f"{m.start_date} – {m.end_date}"
    if m.end_date:
        return f"– {m.end_date}"
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


def _safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def members_csv(structure: Structure) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(label) for _key, label in COLUMNS])
    for row in member_rows(structure):
        writer.writerow([_safe(str(row[key])) for key, _label in COLUMNS])
    return out.getvalue()


def members_xlsx(structure: Structure) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Members")[:31]
    ws.append([str(label) for _key, label in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in member_rows(structure):
        ws.append([_safe(str(row[key])) for key, _label in COLUMNS])
    for i, (_key, _label) in enumerate(COLUMNS, start=1):
        width = max([len(str(_label))] + [len(str(c.value or "")) for c in ws[get_column_letter(i)]])
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, 60)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
