import datetime

import pytest
from django.utils import timezone

from convene.meetings import services


@pytest.fixture
def soon():
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)


@pytest.fixture
def quarterly(kenya, soon):
    return services.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q1 meeting",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
        location="UN Gigiri, Nairobi",
    )
