"""The workplan pages' SQL query count is fixed: it does not grow with the number of activities and
their tags, in whatever language the page is read (the reference names come with their rows)."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.workplans import services
from convene.workplans.models import GuidingPrinciple

pytestmark = pytest.mark.clock

# The workplan pages as they stood before the reference lists were translated: reading a name in
# another language must not add a query. The first render after a change reads the network's change
# counter too (one more query); until the next change the table and the pictures are cached.
MAX_QUERIES = {"detail": 15, "charts": 13, "activity": 11}


def add_activities(workplan, by, activity_values, n):
    first = workplan.activities.count()
    for i in range(n):
        services.add_activity(
            by=by,
            workplan=workplan,
            **activity_values(
                code=f"{first + i + 1}", guiding_principles=list(GuidingPrinciple.objects.all()[:2])
            ),
        )


def count(client, url, language):
    """The page's queries as rendered first after a change (none of its fragments cached)."""
    caches["fragments"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("language", ["en", "fr", "kk"])
def test_workplan_pages_cost_the_same_queries_whatever_the_activities(
    client, workplan, kenya_secretariat, activity_values, language
):
    client.force_login(kenya_secretariat)
    add_activities(workplan, kenya_secretariat, activity_values, 2)
    activity = workplan.activities.first()
    urls = {
        "detail": reverse("workplans:detail", args=["kenya", workplan.pk]),
        "charts": reverse("workplans:charts", args=["kenya", workplan.pk]),
        "activity": reverse("workplans:activity", args=["kenya", activity.pk]),
    }
    for url in urls.values():
        client.get(url)  # warm the caches that are per process
    before = {name: count(client, url, language) for name, url in urls.items()}
    add_activities(workplan, kenya_secretariat, activity_values, 10)
    after = {name: count(client, url, language) for name, url in urls.items()}
    assert after == before
    assert all(before[name] <= MAX_QUERIES[name] for name in urls), before
