"""The Excel/CSV round trip: the template, the export, and an import that names each bad row and
column and writes nothing unless every row is valid."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from convene.core.models import ChangeLog
from convene.decisions import testing as charter_powers
from convene.workplans import services, spreadsheet
from convene.workplans.models import Activity, GuidingPrinciple

from .conftest import org


@pytest.fixture
def filled(kenya, workplan, activity_values):
    group = charter_powers.establish_working_group(network=kenya, name="TWG Labour")
    services.add_activity(
        by=None,
        workplan=workplan,
        **activity_values(
            working_group=group,
            description="Two trainings; =formula-looking text stays text",
            guiding_principles=list(GuidingPrinciple.objects.filter(key__in=["people_centred"])),
            human_rights_marker=3,
            human_rights_justification="Rights of migrant workers",
            strategic_priority="SP2 Inclusive growth",
            unsdcf_outcome="2.1",
            unsdcf_output="2.1.3",
            pipeline=0,
            funded=Decimal("12345.67"),
        ),
    )
    services.add_activity(
        by=None,
        workplan=workplan,
        **activity_values(
            code="2.1",
            title="Migration data hub",
            lead_organisation=org("IOM"),
            gender_marker=None,
            gender_justification="",
            participants=[],
            sdg_targets=[],
            budget=0,
            funded=0,
            pipeline=0,
        ),
    )
    return workplan


def rows_of(workplan):
    return [spreadsheet.activity_row(a) for a in spreadsheet.activities_of(workplan)]


def xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_exported_and_imported_a_workplan_is_unchanged(kenya, filled):
    before = rows_of(filled)
    content = spreadsheet.export_xlsx(filled)
    report = spreadsheet.import_file(by=None, workplan=filled, name="w.xlsx", content=content)
    assert (report.created, report.updated) == (0, 2)
    assert rows_of(filled) == before
    fresh = services.create_workplan(by=None, network=kenya, year=2028)
    spreadsheet.import_file(by=None, workplan=fresh, name="w.xlsx", content=content)
    assert rows_of(fresh) == before


def test_csv_round_trip_too_with_or_without_the_byte_order_mark(kenya, filled):
    content = spreadsheet.export_csv(filled)
    assert content.startswith(b"\xef\xbb\xbf")  # Excel on Windows reads it as UTF-8
    for year, upload in ((2028, content), (2029, content[3:])):
        fresh = services.create_workplan(by=None, network=kenya, year=year)
        spreadsheet.import_file(by=None, workplan=fresh, name="w.csv", content=upload)
        assert rows_of(fresh) == rows_of(filled)


def test_the_template_has_readable_headers_and_a_drop_down_on_every_coded_column(kenya):
    charter_powers.establish_working_group(network=kenya, name="TWG Labour")
    wb = load_workbook(io.BytesIO(spreadsheet.export_xlsx(None, network=kenya)))
    ws, values = wb.worksheets
    assert [c.value for c in ws[1]][:4] == ["Code", "Title", "Description", "Lead organisation"]
    assert ws.freeze_panes == "C2" and int(ws.column_dimensions["B"].width) == 36
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    letter = {label: get_column_letter(i) for i, label in enumerate((c.value for c in ws[1]), start=1)}
    checks = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    coded = [
        "Lead organisation", "Participating organisations", "Working group", "Start quarter", "End quarter",
        "Status", "Currency", "Funding source", "GCM objectives", "Guiding principles", "SDG targets",
        "Gender equality marker", "Human rights marker",
    ]  # fmt: skip
    listed = {}
    for label in coded:
        check = checks[f"{letter[label]}2:{letter[label]}2001"]  # every row a workplan can have
        assert check.type == "list" and check.formula1.startswith("'Values'!$")
        column = check.formula1.split("!")[1].split(":")[0].replace("$", "")[:-1]
        listed[label] = [c.value for c in values[column][1:] if c.value is not None]
    assert listed["GCM objectives"] == list(range(1, 24)) and "10.7" in listed["SDG targets"]
    assert listed["Status"] == ["Planned", "Ongoing", "Completed", "Delayed", "Cancelled"]
    assert listed["Start quarter"] == ["Q1", "Q2", "Q3", "Q4"] and listed["Gender equality marker"] == [
        0,
        1,
        2,
        3,
    ]
    assert "FAO" in listed["Lead organisation"] and "people_centred" in listed["Guiding principles"]
    assert listed["Working group"] == ["TWG Labour"]
    several = checks[f"{letter['GCM objectives']}2:{letter['GCM objectives']}2001"]
    assert several.errorStyle == "warning"  # "6, 7" stays possible
    assert checks[f"{letter['Status']}2:{letter['Status']}2001"].errorStyle in (None, "stop")


def test_the_export_has_numbers_with_formats_and_readable_values(filled):
    ws = load_workbook(io.BytesIO(spreadsheet.export_xlsx(filled))).active
    header = [c.value for c in ws[1]]
    row = 2
    funded = ws.cell(row, header.index("Funded") + 1)
    assert funded.data_type == "n" and funded.value == 12345.67 and funded.number_format == "#,##0.00"
    marker = ws.cell(row, header.index("Human rights marker") + 1)
    assert marker.value == 3 and marker.data_type == "n"
    assert ws.cell(row, header.index("Status") + 1).value == "Planned"
    assert ws.cell(row, header.index("Funding source") + 1).value == "Migration MPTF"


def test_a_file_filled_in_russian_imports_for_an_english_reader(kenya, filled):
    with translation.override("ru"):
        content = spreadsheet.export_xlsx(filled)
    headers = [c.value for c in load_workbook(io.BytesIO(content)).active[1]]
    assert "Статус" in headers and "Status" not in headers
    fresh = services.create_workplan(by=None, network=kenya, year=2028)
    spreadsheet.import_file(by=None, workplan=fresh, name="w.xlsx", content=content)
    assert rows_of(fresh) == rows_of(filled)


def test_bad_rows_are_named_and_nothing_is_imported(workplan, filled):
    good = rows_of(filled)
    rows = [spreadsheet.HEADERS, *[list(r) for r in good]]
    rows[1][0] = "9.9"  # a new code, otherwise valid: it must not be added either
    rows[2][spreadsheet.HEADERS.index("GCM objectives")] = "6, 24"
    rows[2][spreadsheet.HEADERS.index("lead organisation")] = "NOPE"
    rows[2][spreadsheet.HEADERS.index("start quarter")] = "Q5"
    log = ChangeLog.objects.count()
    with pytest.raises(spreadsheet.ImportRefused) as exc:
        spreadsheet.import_file(by=None, workplan=workplan, name="w.xlsx", content=xlsx(rows))
    errors = {(row, column) for row, column, _m in exc.value.report.errors}
    assert errors == {(3, "GCM objectives"), (3, "Lead organisation"), (3, "Start quarter")}
    assert Activity.objects.count() == 2 and not Activity.objects.filter(code="9.9").exists()
    assert ChangeLog.objects.count() == log


def test_a_wrong_column_is_refused_before_any_row(workplan):
    header = [*spreadsheet.HEADERS]
    header[1] = "name"
    with pytest.raises(spreadsheet.ImportRefused) as exc:
        spreadsheet.import_file(by=None, workplan=workplan, name="w.xlsx", content=xlsx([header, ["1", "x"]]))
    assert {(c, m) for _r, c, m in exc.value.report.errors} == {
        ("Title", "column missing"),
        ("name", "unknown column"),
    }


def test_end_before_start_and_a_repeated_code(workplan, filled):
    rows = [spreadsheet.HEADERS, *[list(r) for r in rows_of(filled)]]
    rows[1][spreadsheet.HEADERS.index("start quarter")] = "Q4"
    rows[2][0] = rows[1][0]
    with pytest.raises(spreadsheet.ImportRefused) as exc:
        spreadsheet.import_file(by=None, workplan=workplan, name="w.xlsx", content=xlsx(rows))
    assert {(r, c) for r, c, _m in exc.value.report.errors} == {(2, "End quarter"), (3, "Code")}


def test_not_a_spreadsheet(workplan):
    with pytest.raises(Exception, match="not a readable Excel"):
        spreadsheet.import_file(by=None, workplan=workplan, name="w.xlsx", content=b"PK nonsense")


def test_the_un_info_export_nests_activities_under_the_unsdcf(filled):
    ws = load_workbook(io.BytesIO(spreadsheet.export_uninfo(filled))).active
    rows = list(ws.values)
    assert rows[0][:4] == ("Strategic priority", "Outcome", "Output", "Sub-output")
    sp = next(r for r in rows if r[0] == "SP2 Inclusive growth")
    assert sp[1:4] == ("2.1", "2.1.3", "1.1 Fair recruitment training for labour attachés")
    assert sp[9:11] == ("GEM2", "HRM3") and sp[5] == "ILO"
    header = list(rows[0])
    row = rows.index(sp) + 1
    start, end = ws.cell(row, header.index("Start date") + 1), ws.cell(row, header.index("End date") + 1)
    assert (
        start.is_date
        and start.value.date() == datetime.date(2027, 1, 1)
        and start.number_format == "yyyy-mm-dd"
    )
    assert end.is_date and end.value.date() == datetime.date(2027, 6, 30)  # Q1 to Q2 of the workplan's year
    required = ws.cell(row, header.index("Required resources") + 1)
    assert required.data_type == "n" and required.number_format == "#,##0.00"
    assert ws.freeze_panes == "E2" and ws.sheet_properties.pageSetUpPr.fitToPage and ws.auto_filter.ref


def test_the_un_info_export_fills_the_levels_an_activity_leaves_empty(kenya, filled, activity_values):
    """An output's code names its outcome; another activity under that outcome names the strategic
    priority; an activity with no UNSDCF code at all has none, and stays empty."""
    services.add_activity(
        by=None,
        workplan=filled,
        **activity_values(code="3.1", title="Return and reintegration", unsdcf_output="2.1.4"),
    )
    rows = list(load_workbook(io.BytesIO(spreadsheet.export_uninfo(filled))).active.values)
    by_title = {r[3]: r for r in rows[1:]}
    assert by_title["3.1 Return and reintegration"][:3] == ("SP2 Inclusive growth", "2.1", "2.1.4")
    assert by_title["2.1 Migration data hub"][:3] == (None, None, None)


def test_the_import_page_shows_the_report(client, kenya_secretariat, workplan):
    client.force_login(kenya_secretariat)
    path = reverse("workplans:import", args=["kenya", workplan.pk])
    bad = xlsx([spreadsheet.HEADERS, ["1", "T", "", "NOPE", "", "", "Q1", "Q2"]])
    response = client.post(path, {"file": SimpleUploadedFile("w.xlsx", bad)})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was imported" in page and "unknown organisation" in page
    good = xlsx([spreadsheet.HEADERS, ["1", "T", "", "ILO", "", "", "Q1", "Q2"]])
    response = client.post(path, {"file": SimpleUploadedFile("w.xlsx", good)})
    assert response.status_code == 302 and workplan.activities.get().title == "T"


@pytest.mark.clock
def test_downloads_are_named_by_network_what_and_the_networks_date(client, kenya, kenya_secretariat, filled):
    client.force_login(kenya_secretariat)
    today = kenya.today().isoformat()
    for name, args, expected in (
        ("template", ["kenya"], f"kenya-workplan-template-{today}.xlsx"),
        ("export_xlsx", ["kenya", filled.pk], f"kenya-workplan-2027-{today}.xlsx"),
        ("export_csv", ["kenya", filled.pk], f"kenya-workplan-2027-{today}.csv"),
        ("export_uninfo", ["kenya", filled.pk], f"kenya-workplan-2027-uninfo-{today}.xlsx"),
    ):
        response = client.get(reverse(f"workplans:{name}", args=args))
        assert response["Content-Disposition"] == f'attachment; filename="{expected}"', name
    template = load_workbook(io.BytesIO(client.get(reverse("workplans:template", args=["kenya"])).content))
    assert template.properties.creator == str(kenya.name)
