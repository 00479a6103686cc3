"""The Excel/CSV round trip: the template, the export, and an import that names each bad row and
column and writes nothing unless every row is valid."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

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


def test_csv_round_trip_too(kenya, filled):
    fresh = services.create_workplan(by=None, network=kenya, year=2028)
    csv_text = spreadsheet.export_csv(filled)
    spreadsheet.import_file(by=None, workplan=fresh, name="w.csv", content=csv_text.encode())
    assert rows_of(fresh) == rows_of(filled)


def test_the_template_has_the_columns_and_the_values_they_take(db):
    wb = load_workbook(io.BytesIO(spreadsheet.export_xlsx(None)))
    assert [c.value for c in wb.worksheets[0][1]] == spreadsheet.HEADERS
    values = [tuple(r) for r in wb.worksheets[1].iter_rows(values_only=True)]
    assert ("GCM objectives", 23, values[23][2]) in values and any(r[1] == "10.7" for r in values)


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
    assert errors == {(3, "GCM objectives"), (3, "lead organisation"), (3, "start quarter")}
    assert Activity.objects.count() == 2 and not Activity.objects.filter(code="9.9").exists()
    assert ChangeLog.objects.count() == log


def test_a_wrong_column_is_refused_before_any_row(workplan):
    header = [*spreadsheet.HEADERS]
    header[1] = "name"
    with pytest.raises(spreadsheet.ImportRefused) as exc:
        spreadsheet.import_file(by=None, workplan=workplan, name="w.xlsx", content=xlsx([header, ["1", "x"]]))
    assert {(c, m) for _r, c, m in exc.value.report.errors} == {
        ("title", "column missing"),
        ("name", "unknown column"),
    }


def test_end_before_start_and_a_repeated_code(workplan, filled):
    rows = [spreadsheet.HEADERS, *[list(r) for r in rows_of(filled)]]
    rows[1][spreadsheet.HEADERS.index("start quarter")] = "Q4"
    rows[2][0] = rows[1][0]
    with pytest.raises(spreadsheet.ImportRefused) as exc:
        spreadsheet.import_file(by=None, workplan=workplan, name="w.xlsx", content=xlsx(rows))
    assert {(r, c) for r, c, _m in exc.value.report.errors} == {(2, "end quarter"), (3, "code")}


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
