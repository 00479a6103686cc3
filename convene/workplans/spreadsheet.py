"""A workplan's activities as a spreadsheet (XLSX or CSV): the template, the export, and the import
that checks every row first and writes nothing unless all are valid. Exported then imported, a
workplan is unchanged. Also the shape UN INFO's joint workplans use."""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from convene.core import spreadsheets as sheets
from convene.core.audit import record_change
from convene.core.models import ChangeLog
from convene.core.translation import unofficial_note
from convene.networks.models import Body, Network, Organisation

from . import services
from .models import Activity, GcmObjective, GuidingPrinciple, SdgTarget, Workplan

XLSX_TYPE = sheets.XLSX_TYPE

__all__ = ["XLSX_TYPE", "COLUMNS", "export_csv", "export_xlsx", "import_file", "ImportReport"]


@dataclass(frozen=True)
class WorkplanColumn(sheets.Column):
    """A template column: `key` is its stable machine name (still accepted as a header), `label`
    the header people read (accepted in every shipped language)."""

    field: str = ""


def _column(key, field, label, width=16, number_format=None, wrap=False) -> WorkplanColumn:
    return WorkplanColumn(key, label, width, number_format, wrap, field)


# The template's columns, in order.
COLUMNS = [
    _column("code", "code", gettext_lazy("Code"), 8),
    _column("title", "title", gettext_lazy("Title"), 36, wrap=True),
    _column("description", "description", gettext_lazy("Description"), 44, wrap=True),
    _column("lead organisation", "lead_organisation", gettext_lazy("Lead organisation"), 14),
    _column("participating organisations", "participants", gettext_lazy("Participating organisations"), 22),
    _column("working group", "working_group", gettext_lazy("Working group"), 24),
    _column("start quarter", "start_quarter", gettext_lazy("Start quarter"), 9),
    _column("end quarter", "end_quarter", gettext_lazy("End quarter"), 9),
    _column("status", "status", gettext_lazy("Status"), 13),
    _column("currency", "currency", gettext_lazy("Currency"), 9),
    _column("budget", "budget", gettext_lazy("Budget required"), 14, sheets.MONEY),
    _column("funded", "funded", gettext_lazy("Funded"), 14, sheets.MONEY),
    _column("pipeline", "pipeline", gettext_lazy("In the pipeline"), 14, sheets.MONEY),
    _column("funding source", "funding_source", gettext_lazy("Funding source"), 16),
    _column("funder", "funding_detail", gettext_lazy("Funder"), 18),
    _column("GCM objectives", "gcm_objectives", gettext_lazy("GCM objectives"), 12),
    _column("guiding principles", "guiding_principles", gettext_lazy("Guiding principles"), 22),
    _column("SDG targets", "sdg_targets", gettext_lazy("SDG targets"), 12),
    _column("gender marker", "gender_marker", gettext_lazy("Gender equality marker"), 10, sheets.INTEGER),
    _column(
        "gender marker justification",
        "gender_justification",
        gettext_lazy("Gender marker justification"),
        30,
        wrap=True,
    ),
    _column(
        "human rights marker", "human_rights_marker", gettext_lazy("Human rights marker"), 10, sheets.INTEGER
    ),
    _column(
        "human rights marker justification",
        "human_rights_justification",
        gettext_lazy("Human rights marker justification"),
        30,
        wrap=True,
    ),
    _column("UNSDCF strategic priority", "strategic_priority", gettext_lazy("UNSDCF strategic priority"), 22),
    _column("UNSDCF outcome", "unsdcf_outcome", gettext_lazy("UNSDCF outcome"), 10),
    _column("UNSDCF output", "unsdcf_output", gettext_lazy("UNSDCF output"), 10),
]
HEADERS = [c.key for c in COLUMNS]  # the machine names, accepted as headers as before
FIELDS = [c.field for c in COLUMNS]
MAX_ROWS = 2000
CURRENCIES = ["USD", "EUR", "KES", "KZT", "GBP", "CHF", "SEK", "NOK", "JPY"]


def label_of(field_name: str) -> str:
    """A column's header in the reader's language (bad rows are reported by it)."""
    return next((str(c.label) for c in COLUMNS if c.field == field_name), field_name)


def _list(values) -> str:
    return ", ".join(values)


def activity_row(a: Activity) -> list:
    """The cells of one activity (tags and relations prefetched by the caller), as the importer
    reads them: codes for coded columns."""
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
    return [cells[f] for f in FIELDS]


def _readable(row: list) -> list:
    """The same cells for people: status and funding source by their names in the reader's
    language (the importer accepts them in every language), empty markers as empty cells."""
    cells = dict(zip(FIELDS, row, strict=True))
    cells["status"] = str(Activity.Status(cells["status"]).label)
    if cells["funding_source"]:
        cells["funding_source"] = str(Activity.FundingSource(cells["funding_source"]).label)
    for marker in ("gender_marker", "human_rights_marker"):
        if cells[marker] == "":
            cells[marker] = None
    return [cells[f] for f in FIELDS]


def activities_of(workplan: Workplan):
    return workplan.activities.select_related("lead_organisation", "working_group").prefetch_related(
        "participants", "gcm_objectives", "guiding_principles", "sdg_targets"
    )


# The template's lists ------------------------------------------------------------------------------


@dataclass
class _List:
    """A list of accepted values on the reference sheet, and how its column checks input."""

    field: str
    values: list
    meanings: list = None
    several: bool = False  # a comma-separated list of values: the drop-down proposes, never refuses


def _lists(network: Network) -> list[_List]:
    """What each coded column accepts, as the importer reads it."""
    seated = services._network_organisation_ids(network)
    organisations = list(Organisation.objects.filter(country__in=["", network.country]).order_by("acronym"))
    leads = [o for o in organisations if o.pk in seated]
    groups = list(
        network.bodies.filter(kind=Body.Kind.WORKING_GROUP, abolished_on__isnull=True).order_by("name")
    )
    objectives = list(GcmObjective.objects.all())
    principles = list(GuidingPrinciple.objects.all())
    targets = list(SdgTarget.objects.all())
    quarters = [f"Q{q}" for q in range(1, 5)]
    return [
        _List("lead_organisation", [o.acronym for o in leads], [o.tr.name for o in leads]),
        _List("participants", [o.acronym for o in organisations], [o.tr.name for o in organisations], True),
        _List("working_group", [g.name for g in groups]),
        _List("start_quarter", quarters),
        _List("end_quarter", quarters),
        _List("status", [str(label) for _v, label in Activity.Status.choices]),
        _List("currency", CURRENCIES, several=True),
        _List("funding_source", [str(label) for _v, label in Activity.FundingSource.choices]),
        _List("gcm_objectives", [o.number for o in objectives], [o.tr.title for o in objectives], True),
        _List("guiding_principles", [p.key for p in principles], [p.tr.name for p in principles], True),
        _List("sdg_targets", [t.code for t in targets], [t.tr.text for t in targets], True),
        _List("gender_marker", [0, 1, 2, 3]),
        _List("human_rights_marker", [0, 1, 2, 3]),
    ]


def _reference_sheet(book: sheets.Book, lists: list[_List]) -> dict[str, str]:
    """Each list as a pair of columns (value, meaning) on a sheet of its own; the drop-downs of the
    activities sheet read their values from here."""
    sheet = book.sheet(_("Values"))
    ws, header = sheet.ws, book.format(**sheets.HEADER)
    ranges, column, longest = {}, 0, 1
    meaning = _("Meaning")
    for item in lists:
        letter = sheets.column_letter(column)
        ws.write_string(0, column, label_of(item.field), header)
        ws.write_string(0, column + 1, meaning, header)
        for row, value in enumerate(item.values, start=1):
            sheet.put(row, column, value)
            if item.meanings:
                sheet.put(row, column + 1, item.meanings[row - 1])
        last = max(len(item.values), 1) + 1
        longest = max(longest, last)
        ranges[item.field] = f"{sheets.sheet_reference(ws.name)}!${letter}$2:${letter}${last}"
        ws.set_column(column, column, 16)
        ws.set_column(column + 1, column + 1, 48 if item.meanings else 4)
        column += 2
    if note := unofficial_note():  # kk and sw: the reference names are Convene's own wording
        sheet.put(longest + 1, 0, note)
    ws.freeze_panes("A2")
    sheet.print_setup()
    return ranges


def _validations(sheet: sheets.Sheet, lists: list[_List], ranges: dict) -> None:
    """A drop-down on every coded column, for the rows a workplan can have."""
    columns = {c.field: i for i, c in enumerate(COLUMNS)}
    several = _("Several values: separate them with commas.")
    where = {"sheet": _("Values")[:31]}
    for item in lists:
        if not item.values:
            continue
        check = {
            "validate": "list",
            "source": "=" + ranges[item.field],
            "ignore_blank": True,
            "dropdown": True,  # the in-cell arrow
            "input_title": label_of(item.field)[:32],
            "error_title": label_of(item.field)[:32],
        }
        if item.several:
            check["error_type"] = "warning"  # a list such as "6, 7" is still allowed
            check["input_message"] = several
            check["error_message"] = (
                _("Not a value from the list on the “%(sheet)s” sheet. Keep it anyway?") % where
            )
        else:
            check["input_message"] = _("Choose from the list.")
            check["error_message"] = _("Choose a value from the list on the “%(sheet)s” sheet.") % where
        column = columns[item.field]
        sheet.ws.data_validation(1, column, MAX_ROWS, column, check)


def export_xlsx(workplan: Workplan | None, *, network: Network | None = None) -> bytes:
    """The workplan's activities; with no workplan, the network's empty template. Readable headers,
    drop-down lists on every coded column fed from the "Values" sheet, amounts as numbers."""
    network = workplan.network if workplan is not None else network
    title = workplan.title if workplan is not None else _("Workplan template")
    book = sheets.Book(title=title, author=network.name)
    sheet = book.sheet(_("Activities"))
    sheet.header(COLUMNS)
    if workplan is not None:
        for a in activities_of(workplan):
            sheet.append(_readable(activity_row(a)), COLUMNS)
    sheet.finish(COLUMNS, freeze="C2")
    lists = _lists(network)
    _validations(sheet, lists, _reference_sheet(book, lists))
    return book.save()


def export_csv(workplan: Workplan) -> bytes:
    """The activities as CSV (UTF-8 with a byte-order mark, for Excel on Windows)."""
    rows = (_readable(activity_row(a)) for a in activities_of(workplan))
    return sheets.csv_bytes([c.label for c in COLUMNS], rows)


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
    """The sheet's rows (header first) from an .xlsx or .csv upload (UTF-8, with or without the
    byte-order mark Excel writes)."""
    if name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The CSV file is not UTF-8 text.")) from exc
        return [row for row in csv.reader(io.StringIO(text))]
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # only uploads are read with it: 7 MiB a worker need not keep

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
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    text = str(value).strip()
    # A CSV cell the export protected from running as a formula ("'=…"): the text as it was.
    return text[1:] if text.startswith("'") and sheets.is_formula_like(text[1:]) else text


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _in_every_language(names) -> dict[str, str]:
    """{what a person may type: the value}: each value's own code and its name in every shipped
    language (a file filled in Russian imports for an English reader too). A name that means two
    different values in two languages is accepted in neither."""
    found: dict[str, set] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in names():
                found.setdefault(_norm(label), set()).add(value)
    aliases = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
    for value, _label in names():
        aliases[_norm(value)] = value
    return aliases


def _header_names():
    return [(c.field, str(c.label)) for c in COLUMNS] + [(c.field, c.key) for c in COLUMNS]


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
        self.statuses = _in_every_language(lambda: Activity.Status.choices)
        self.sources = _in_every_language(lambda: Activity.FundingSource.choices)


def _parse_row(cells: dict, look: _Lookups, row: int, report: ImportReport) -> dict | None:
    values, before = {}, len(report.errors)

    def bad(column: str, message: str):
        report.add(row, label_of(column), message)

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
    status = _text(cells["status"])
    values["status"] = look.statuses.get(_norm(status)) if status else Activity.Status.PLANNED
    if values["status"] is None:
        bad("status", _("one of %s") % ", ".join(str(label) for _v, label in Activity.Status.choices))
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
    source = _text(cells["funding_source"])
    values["funding_source"] = look.sources.get(_norm(source), None) if source else ""
    if values["funding_source"] is None:
        values["funding_source"] = ""
        bad(
            "funding_source",
            _("one of %s") % ", ".join(str(label) for _v, label in Activity.FundingSource.choices),
        )
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
    # Headers in any shipped language, or the machine names; in any order.
    names = _in_every_language(_header_names)
    position = {}
    for i, h in enumerate(header):
        column = names.get(_norm(h))
        if column is None or column in position:
            report.add(1, h or sheets.column_letter(i), _("unknown column"))
        else:
            position[column] = i
    for c in COLUMNS:
        if c.field not in position:
            report.add(1, str(c.label), _("column missing"))
    if not report.ok:
        return [], report
    body = [r for r in rows[1:] if any(_text(c) for c in r)]
    if len(body) > MAX_ROWS:
        report.add(0, _("file"), _("more than %d activities") % MAX_ROWS)
        return [], report
    look, parsed, codes = _Lookups(workplan), [], {}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(_text(c) for c in raw):
            continue
        cells = {f: (raw[i] if i < len(raw) else None) for f, i in position.items()}
        values = _parse_row(cells, look, number, report)
        if values is None:
            continue
        if values["code"] in codes:
            report.add(number, label_of("code"), _("the same code as row %d") % codes[values["code"]])
            continue
        codes[values["code"]] = number
        fields = {k: v for k, v in values.items() if k in services.ACTIVITY_FIELDS}
        tags = {k: v for k, v in values.items() if k in services.ACTIVITY_TAGS}
        try:
            services.check_activity(workplan, fields, tags, seated=look.seated)
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                report.add(number, label_of(column), " ".join(messages))
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

UNINFO_COLUMNS = [
    sheets.Column(
        "strategic_priority", pgettext_lazy("UNSDCF results chain", "Strategic priority"), 24, wrap=True
    ),
    sheets.Column("outcome", pgettext_lazy("UNSDCF results chain", "Outcome"), 10),
    sheets.Column("output", pgettext_lazy("UNSDCF results chain", "Output"), 10),
    sheets.Column("sub_output", pgettext_lazy("UNSDCF results chain", "Sub-output"), 36, wrap=True),
    sheets.Column("description", gettext_lazy("Description"), 40, wrap=True),
    sheets.Column("lead", gettext_lazy("Lead agency"), 12),
    sheets.Column("contributing", gettext_lazy("Contributing agencies"), 18),
    sheets.Column("partners", gettext_lazy("Implementing partners"), 18),
    sheets.Column("sdg_targets", gettext_lazy("SDG targets"), 14),
    sheets.Column("gender_marker", gettext_lazy("Gender equality marker"), 10),
    sheets.Column("human_rights_marker", gettext_lazy("Human rights marker"), 10),
    sheets.Column("status", gettext_lazy("Status"), 12),
    sheets.Column("start", gettext_lazy("Start date"), 12, sheets.DATE),
    sheets.Column("end", gettext_lazy("End date"), 12, sheets.DATE),
    sheets.Column("currency", gettext_lazy("Currency"), 9),
    sheets.Column("required", gettext_lazy("Required resources"), 14, sheets.MONEY),
    sheets.Column("available", gettext_lazy("Available resources"), 14, sheets.MONEY),
    sheets.Column("gap", gettext_lazy("Funding gap"), 14, sheets.MONEY),
    sheets.Column("gcm_objectives", gettext_lazy("GCM objectives"), 12),
]


def _quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * quarter - 2, 1)


def _quarter_end(year: int, quarter: int) -> datetime.date:
    following = _quarter_start(year + (quarter == 4), quarter % 4 + 1)
    return following - datetime.timedelta(days=1)


def _parent(code: str) -> str:
    """The results-chain code one level up: output 2.1.3 belongs to outcome 2.1."""
    parts = code.strip().split(".")
    return ".".join(parts[:-1]) if len(parts) > 1 and all(parts) else ""


class _ResultsChain:
    """Fills a level an activity leaves empty from the levels it gives: the outcome from its
    output's code, the strategic priority from another activity of the network under the same
    outcome (or the same strategic priority number). A level nothing points to stays empty."""

    def __init__(self, network: Network):
        self.priorities: dict[str, str] = {}
        tagged = Activity.objects.filter(workplan__network=network).exclude(strategic_priority="")
        for priority, outcome, output in tagged.values_list(
            "strategic_priority", "unsdcf_outcome", "unsdcf_output"
        ).order_by("-workplan__year", "code"):
            outcome = outcome or _parent(output)
            for key in filter(None, (outcome, outcome.split(".")[0] if outcome else "")):
                self.priorities.setdefault(key, priority)

    def levels(self, a: Activity) -> tuple[str, str, str]:
        output = a.unsdcf_output.strip()
        outcome = a.unsdcf_outcome.strip() or _parent(output)
        priority = a.strategic_priority.strip()
        if not priority and outcome:
            priority = self.priorities.get(outcome) or self.priorities.get(outcome.split(".")[0], "")
        return priority, outcome, output


def export_uninfo(workplan: Workplan) -> bytes:
    """The activities as sub-outputs under the UNSDCF strategic priority, outcome and output, as UN
    INFO's joint workplans arrange them, so the Secretariat does not type them in again: dates of
    the quarters, amounts as numbers, agencies split into UN entities and other partners."""
    network = workplan.network
    chain = _ResultsChain(network)
    book = sheets.Book(title=workplan.title, author=network.name)
    rows = []
    for a in activities_of(workplan):
        priority, outcome, output = chain.levels(a)
        participants = list(a.participants.all())
        rows.append(
            {
                "strategic_priority": priority,
                "outcome": outcome,
                "output": output,
                "sub_output": f"{a.code} {a.title}",
                "description": a.description,
                "lead": a.lead_organisation.acronym,
                "contributing": _list(o.acronym for o in participants if o.kind == Organisation.Kind.UN),
                "partners": _list(o.acronym for o in participants if o.kind != Organisation.Kind.UN),
                "sdg_targets": _list(t.code for t in a.sdg_targets.all()),
                "gender_marker": "" if a.gender_marker is None else f"GEM{a.gender_marker}",
                "human_rights_marker": "" if a.human_rights_marker is None else f"HRM{a.human_rights_marker}",
                "status": a.get_status_display(),
                "start": _quarter_start(workplan.year, a.start_quarter),
                "end": _quarter_end(workplan.year, a.end_quarter),
                "currency": a.currency,
                "required": a.budget,
                "available": a.funded + a.pipeline,
                "gap": a.gap,
                "gcm_objectives": _list(str(o.number) for o in a.gcm_objectives.all()),
                "_order": (priority, outcome, output, a.code),
            }
        )
    rows.sort(key=lambda r: r["_order"])
    book.table(_("Joint workplan"), UNINFO_COLUMNS, rows, freeze="E2")
    return book.save()
