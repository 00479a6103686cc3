"""The workplan's pictures: figures computed from the activities, drawn without JavaScript, and the
pages' queries flat with 200 activities."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.workplans import charts, services
from convene.workplans.models import GcmObjective
from convene.workplans.views import _activities_with_progress

from .conftest import org


def add(workplan, activity_values, n, **overrides):
    return services.add_activity(by=None, workplan=workplan, **activity_values(code=str(n), **overrides))


def test_coverage_and_funding_figures(workplan, activity_values):
    add(workplan, activity_values, 1)  # ILO, objectives 6 and 7, 50,000: 30,000 funded, 10,000 pipeline
    add(
        workplan,
        activity_values,
        2,
        lead_organisation=org("IOM"),
        budget=20000,
        funded=20000,
        pipeline=0,
        gcm_objectives=list(GcmObjective.objects.filter(number=1)),
    )
    activities = _activities_with_progress(workplan)
    matrix = charts.coverage_matrix(activities)
    assert matrix["leads"] == ["ILO", "IOM"] and matrix["covered"] == 3
    row6 = matrix["rows"][5]
    assert row6["cells"][0]["count"] == 1 and row6["cells"][0]["budget"] == Decimal(50000)
    bars = {b.label: b for b in charts.funding_by_objective(activities).bars}
    [six] = [b for label, b in bars.items() if label.startswith("6. ")]
    assert {s.key: s.value for s in six.segments} == {"funded": 30000, "pipeline": 10000, "gap": 10000}
    by_group = charts.funding_by_working_group(activities).bars
    assert [b.label for b in by_group] == ["Network-wide"] and by_group[0].total == 70000


def test_progress_by_working_group_uses_each_activitys_latest_report(workplan, activity_values):
    a = add(workplan, activity_values, 1)
    b = add(workplan, activity_values, 2)
    services.report_progress(
        by=None, activity=a, year=2027, quarter=1, narrative="x", percent=20, rag="amber"
    )
    services.report_progress(
        by=None, activity=a, year=2027, quarter=2, narrative="x", percent=60, rag="green"
    )
    services.report_progress(by=None, activity=b, year=2027, quarter=1, narrative="x", percent=10, rag="red")
    [row] = charts.progress_by_working_group(_activities_with_progress(workplan))
    assert (row["percent"], row["rag"]) == (35, {"green": 1, "amber": 0, "red": 1})


def test_the_pictures_page_draws_svg_and_writes_the_figures(
    client, kenya_secretariat, workplan, activity_values
):
    add(workplan, activity_values, 1)
    client.force_login(kenya_secretariat)
    page = client.get(reverse("workplans:charts", args=["kenya", workplan.pk])).content.decode()
    main = page[page.index("<main") :]
    assert "<svg" in main and "<script" not in main  # drawn on the server
    assert "2 of the 23 GCM objectives" in page and "50,000" in page
    add(workplan, activity_values, 2, gcm_objectives=list(GcmObjective.objects.filter(number=23)))
    page = client.get(reverse("workplans:charts", args=["kenya", workplan.pk])).content.decode()
    assert "3 of the 23 GCM objectives" in page and "100,000" in page  # kept only until a change


def test_workplan_pages_queries_do_not_grow_with_activities(
    client, kenya_secretariat, workplan, activity_values
):
    def count(name):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(f"workplans:{name}", args=["kenya", workplan.pk])).status_code == 200
        return len(ctx)

    client.force_login(kenya_secretariat)
    add(workplan, activity_values, 1)
    small = {name: count(name) for name in ("detail", "charts", "export_xlsx")}
    for n in range(2, 201):
        add(workplan, activity_values, n)
    big = {name: count(name) for name in ("detail", "charts", "export_xlsx")}
    # The export also reads the template's lists (organisations, groups, reference lists): two more.
    assert small == big and max(big.values()) <= 16, big
