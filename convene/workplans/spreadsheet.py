"""A workplan's activities as a spreadsheet (XLSX or CSV): the template, the export, and the import
that checks every row first and writes nothing unless all are valid. Exported then imported, a
workplan is unchanged. Also the shape UN INFO's joint workplans use."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from convene.core.audit import record_change
from convene.core.models import ChangeLog
from convene.core.translation import unofficial_note
from convene.networks.exports import XLSX_TYPE, _safe
from convene.networks.models import Body, Organisation

from . import services
from .models import Activity, GcmObjective, GuidingPrinciple, SdgTarget, Workplan

__all__ = ["XLSX_TYPE", "COLUMNS", "export_csv", "export_xlsx", "import_file", "ImportReport"]

# (header, activity field): the template's columns, in order.
COLUMNS = [
    ("code", "code"),
    ("title", "title"),
    ("description", "description"),
    ("lead organisation", "lead_organisation"),
    ("participating organisations", "participants"),
    ("working group", "working_group"),
    ("start quarter", "start_quarter"),
    ("end quarter", "end_quarter"),
    ("status", "status"),
    ("currency", "currency"),
    ("budget", "budget"),
    ("funded", "funded"),
    ("pipeline", "pipeline"),
    ("funding source", "funding_source"),
    ("funder", "funding_detail"),
    ("GCM objectives", "gcm_objectives"),
    ("guiding principles", "guiding_principles"),
    ("SDG targets", "sdg_targets"),
    ("gender marker", "gender_marker"),
    ("gender marker justification", "gender_justification"),
    ("human rights marker", "human_rights_marker"),
    ("human rights marker justification", "human_rights_justification"),
    ("UNSDCF strategic priority", "strategic_priority"),
    ("UNSDCF outcome", "unsdcf_outcome"),
    ("UNSDCF output", "unsdcf_output"),
]
HEADERS = [h for h, _f in COLUMNS]
HEADER_OF = {f: h for h, f in COLUMNS}
MAX_ROWS = 2000


def _list(values) -> str:
    return ", ".join(values)


def activity_row(a: Activity) -> list:
    """The cells of one activity (tags and relations prefetched by the caller)."""
    cells = {
        "code": a.code,
        "title": a.title,
        "description": a.description,
        "lead_organisation": a.lead_organisation.acronym,
        "participants": _list(o.acronym for o in a.participants.all()),
        "working_group": a.working_group.tr.name if a.working_group_id else "",
        "start_quarter": f"Q{a.start_quarter}",
        "end_quarter": f"Q{a.end_quarter}",
        "status": a.status,
        "currency": a.currency,
        "budget": a.budget,
        "funded": a.funded,
        "pipeline": a.pipeline,
        "funding_source": a.funding_source,
        "funding_detail": a.funding_detail,
        "gcm_objectives": _list(str(o.number) for o in a.gcm_objectives.all()),
        "guiding_principles": _list(p.key for p in a.guiding_principles.all()),
        "sdg_targets": _list(t.code for t in a.sdg_targets.all()),
        "gender_marker": "" if a.gender_marker is None else a.gender_marker,
        "gender_justification": a.gender_justification,
        "human_rights_marker": "" if a.human_rights_marker is None else a.human_rights_marker,
        "human_rights_justification": a.human_rights_justification,
        "strategic_priority": a.strategic_priority,
        "unsdcf_outcome": a.unsdcf_outcome,
        "unsdcf_output": a.unsdcf_output,
    }
    return [cells[f] for _h, f in COLUMNS]


def activities_of(workplan: Workplan):
    return workplan.activities.select_related("lead_organisation", "working_group").prefetch_related(
        "participants", "gcm_objectives", "guiding_principles", "sdg_targets"
    )


def export_xlsx(workplan: Workplan | None) -> bytes:
    """The workplan's activities; with no workplan, the empty template. A second sheet lists the
    values each coded column accepts."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Activities")[:31]
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    if workplan is not None:
        for a in activities_of(workplan):
            ws.append([_safe(v) if isinstance(v, str) else v for v in activity_row(a)])
    ws.freeze_panes = "C2"
    values = wb.create_sheet(_("Values")[:31])
    values.append([_("column"), _("value"), _("meaning")])
    for o in GcmObjective.objects.all():
        values.append(["GCM objectives", o.number, o.tr.title])
    for p in GuidingPrinciple.objects.all():
        values.append(["guiding principles", p.key, p.tr.name])
    for t in SdgTarget.objects.all():
        values.append(["SDG targets", t.code, t.tr.text])
    if note := unofficial_note():
        values.append(["", "", note])
    for choice, label in Activity.Status.choices:
        values.append(["status", choice, str(label)])
    for choice, label in Activity.FundingSource.choices:
        values.append(["funding source", choice, str(label)])
    for n in range(4):
        values.append(["gender marker / human rights marker", n, ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_csv(workplan: Workplan) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for a in activities_of(workplan):
        writer.writerow([_safe(str(v)) for v in activity_row(a)])
    return out.getvalue()


# Import ------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    created: int = 0
    updated: int = 0

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append((row, column, message))

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(ValidationError):
    def __init__(self, report: ImportReport):
        self.report = report
        lines = [f"row {r}, {c}: {m}" if r else f"{c}: {m}" for r, c, m in report.errors]
        super().__init__(lines)


def read_rows(name: str, content: bytes) -> list[list]:
    """The sheet's rows (header first) from an .xlsx or .csv upload."""
    if name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The CSV file is not UTF-8 text.")) from exc
        return [row for row in csv.reader(io.StringIO(text))]
    if name.lower().endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
            raise ValidationError(_("This is not a readable Excel (.xlsx) file.")) from exc
        return [list(row) for row in wb.worksheets[0].iter_rows(values_only=True)]
    raise ValidationError(_("Upload the workplan as .xlsx or .csv."))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def _split(value) -> list[str]:
    return [v.strip() for v in _text(value).replace(";", ",").split(",") if v.strip()]


class _Lookups:
    """Every reference a row may name, loaded once for the whole file."""

    def __init__(self, workplan: Workplan):
        network = workplan.network
        orgs = Organisation.objects.filter(country__in=["", network.country])
        self.organisations = {o.acronym.lower(): o for o in orgs}
        self.groups = {}
        # A name in any of its languages: the export writes the reader's.
        for g in network.bodies.filter(kind=Body.Kind.WORKING_GROUP):
            for name in [g.name, *(g.translations or {}).get("name", {}).values()]:
                self.groups[name.lower()] = g
            self.groups[g.slug] = g
        self.objectives = {str(o.number): o for o in GcmObjective.objects.all()}
        self.principles = {}
        for p in GuidingPrinciple.objects.all():
            for name in [p.name, *(p.translations or {}).get("name", {}).values()]:
                self.principles[name.lower()] = p
            self.principles[p.key] = p
        self.targets = {t.code: t for t in SdgTarget.objects.all()}
        self.seated = services._network_organisation_ids(network)


def _parse_row(cells: dict, look: _Lookups, row: int, report: ImportReport) -> dict | None:
    values, before = {}, len(report.errors)

    def bad(column: str, message: str):
        report.add(row, HEADER_OF[column], message)

    for f in ("code", "title"):
        values[f] = _text(cells[f])
        if not values[f]:
            bad(f, _("required"))
    for f in ("description", "funding_detail", "gender_justification", "human_rights_justification",
              "strategic_priority", "unsdcf_outcome", "unsdcf_output"):  # fmt: skip
        values[f] = _text(cells[f])
    lead = _text(cells["lead_organisation"])
    values["lead_organisation"] = look.organisations.get(lead.lower())
    if values["lead_organisation"] is None:
        bad("lead_organisation", _("unknown organisation “%s”") % lead if lead else _("required"))
    values["participants"] = []
    for acronym in _split(cells["participants"]):
        o = look.organisations.get(acronym.lower())
        if o is None:
            bad("participants", _("unknown organisation “%s”") % acronym)
        else:
            values["participants"].append(o)
    group = _text(cells["working_group"])
    values["working_group"] = look.groups.get(group.lower()) if group else None
    if group and values["working_group"] is None:
        bad("working_group", _("no working group “%s” in this network") % group)
    for f in ("start_quarter", "end_quarter"):
        q = _text(cells[f]).upper().removeprefix("Q")
        if q not in ("1", "2", "3", "4"):
            bad(f, _("a quarter from Q1 to Q4"))
        else:
            values[f] = int(q)
    values["status"] = _text(cells["status"]) or Activity.Status.PLANNED
    if values["status"] not in Activity.Status.values:
        bad("status", _("one of %s") % ", ".join(Activity.Status.values))
    values["currency"] = (_text(cells["currency"]) or "USD").upper()
    if len(values["currency"]) != 3 or not values["currency"].isalpha():
        bad("currency", _("a three-letter currency code"))
    for f in ("budget", "funded", "pipeline"):
        try:
            values[f] = Decimal(_text(cells[f]).replace(",", "") or "0")
            if not values[f].is_finite() or values[f] < 0 or values[f] >= 10**12:
                raise InvalidOperation
        except InvalidOperation:
            bad(f, _("an amount of zero or more"))
    values["funding_source"] = _text(cells["funding_source"])
    if values["funding_source"] and values["funding_source"] not in Activity.FundingSource.values:
        bad("funding_source", _("one of %s") % ", ".join(Activity.FundingSource.values))
    values["gcm_objectives"] = []
    for n in _split(cells["gcm_objectives"]):
        if n not in look.objectives:
            bad("gcm_objectives", _("no GCM objective %s (1 to 23)") % n)
        else:
            values["gcm_objectives"].append(look.objectives[n])
    values["guiding_principles"] = []
    for key in _split(cells["guiding_principles"]):
        p = look.principles.get(key) or look.principles.get(key.lower())
        if p is None:
            bad("guiding_principles", _("no guiding principle “%s”") % key)
        else:
            values["guiding_principles"].append(p)
    values["sdg_targets"] = []
    for code in _split(cells["sdg_targets"]):
        if code not in look.targets:
            bad("sdg_targets", _("no SDG target %s in the reference list") % code)
        else:
            values["sdg_targets"].append(look.targets[code])
    for f in ("gender_marker", "human_rights_marker"):
        m = _text(cells[f])
        values[f] = None
        if m:
            if m not in ("0", "1", "2", "3"):
                bad(f, _("a marker from 0 to 3"))
            else:
                values[f] = int(m)
    return values if len(report.errors) == before else None


def parse(workplan: Workplan, rows: list[list]) -> tuple[list[dict], ImportReport]:
    """Check every row; the report names each bad row and column."""
    report = ImportReport()
    if not rows:
        report.add(0, _("file"), _("the file is empty"))
        return [], report
    header = [_text(h) for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    if header != HEADERS:
        missing = [h for h in HEADERS if h not in header]
        unknown = [h for h in header if h not in HEADERS]
        for h in missing:
            report.add(1, h, _("column missing"))
        for h in unknown:
            report.add(1, h, _("unknown column"))
        if not missing and not unknown:
            report.add(1, _("header"), _("the columns are not in the template's order"))
        return [], report
    body = [r for r in rows[1:] if any(_text(c) for c in r)]
    if len(body) > MAX_ROWS:
        report.add(0, _("file"), _("more than %d activities") % MAX_ROWS)
        return [], report
    look, parsed, codes = _Lookups(workplan), [], {}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(_text(c) for c in raw):
            continue
        cells = {f: (raw[i] if i < len(raw) else None) for i, (_h, f) in enumerate(COLUMNS)}
        values = _parse_row(cells, look, number, report)
        if values is None:
            continue
        if values["code"] in codes:
            report.add(number, "code", _("the same code as row %d") % codes[values["code"]])
            continue
        codes[values["code"]] = number
        fields = {k: v for k, v in values.items() if k in services.ACTIVITY_FIELDS}
        tags = {k: v for k, v in values.items() if k in services.ACTIVITY_TAGS}
        try:
            services.check_activity(workplan, fields, tags, seated=look.seated)
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                report.add(number, HEADER_OF.get(column, column), " ".join(messages))
            continue
        parsed.append(values)
    return parsed, report


@transaction.atomic
def import_file(*, by, workplan: Workplan, name: str, content: bytes) -> ImportReport:
    """All or nothing: any invalid row and no activity is written (ImportRefused carries the report).
    Rows are matched to activities by code: new codes are added, known ones updated."""
    services._check_editable(workplan)
    rows = read_rows(name, content)
    parsed, report = parse(workplan, rows)
    if not report.ok:
        raise ImportRefused(report)
    existing = {a.code: a for a in workplan.activities.all()}
    for values in parsed:
        activity = existing.get(values["code"])
        if activity is None:
            services.add_activity(by=by, workplan=workplan, **values)
            report.created += 1
        else:
            services.update_activity(by=by, activity=activity, **values)
            report.updated += 1
    record_change(
        actor=by,
        obj=workplan,
        action=ChangeLog.Action.UPDATE,
        network_id=workplan.network_id,
        changes={"imported": [name, f"{report.created} added, {report.updated} updated"]},
    )
    return report


# UN INFO -----------------------------------------------------------------------------------------

UNINFO_HEADERS = [
    "Strategic priority", "Outcome", "Output", "Sub-output", "Description", "Lead agency",
    "Contributing agencies", "Implementing partners", "SDG targets", "Gender equality marker",
    "Human rights marker", "Status", "Start", "End", "Currency", "Required resources",
    "Available resources", "Funding gap", "GCM objectives",
]  # fmt: skip


def export_uninfo(workplan: Workplan) -> bytes:
    """The activities as sub-outputs under the UNSDCF strategic priority, outcome and output, as UN
    INFO's joint workplans arrange them, so the Secretariat does not type them in again."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Joint workplan"
    ws.append(UNINFO_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    activities = sorted(
        activities_of(workplan),
        key=lambda a: (a.strategic_priority, a.unsdcf_outcome, a.unsdcf_output, a.code),
    )
    for a in activities:
        un = [o.acronym for o in a.participants.all() if o.kind == Organisation.Kind.UN]
        partners = [o.acronym for o in a.participants.all() if o.kind != Organisation.Kind.UN]
        row = [
            a.strategic_priority,
            a.unsdcf_outcome,
            a.unsdcf_output,
            f"{a.code} {a.title}",
            a.description,
            a.lead_organisation.acronym,
            _list(un),
            _list(partners),
            _list(t.code for t in a.sdg_targets.all()),
            "" if a.gender_marker is None else f"GEM{a.gender_marker}",
            "" if a.human_rights_marker is None else f"HRM{a.human_rights_marker}",
            a.get_status_display(),
            f"Q{a.start_quarter} {workplan.year}",
            f"Q{a.end_quarter} {workplan.year}",
            a.currency,
            a.budget,
            a.funded + a.pipeline,
            a.gap,
            _list(str(o.number) for o in a.gcm_objectives.all()),
        ]
        ws.append([_safe(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
