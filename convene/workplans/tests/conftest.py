import pytest

from convene.networks.models import Organisation
from convene.workplans import services
from convene.workplans.models import GcmObjective, SdgTarget


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


@pytest.fixture
def workplan(kenya, kenya_secretariat):
    return services.create_workplan(by=kenya_secretariat, network=kenya, year=2027)


@pytest.fixture
def activity_values():
    """activity_values(**overrides) -> the fields of a valid activity."""

    def make(**overrides):
        return {
            "code": "1.1",
            "title": "Fair recruitment training for labour attachés",
            "lead_organisation": org("ILO"),
            "participants": [org("IOM")],
            "start_quarter": 1,
            "end_quarter": 2,
            "budget": 50000,
            "funded": 30000,
            "pipeline": 10000,
            "funding_source": "mptf",
            "gcm_objectives": list(GcmObjective.objects.filter(number__in=[6, 7])),
            "sdg_targets": list(SdgTarget.objects.filter(code__in=["10.7", "8.8"])),
            "gender_marker": 2,
            "gender_justification": "Women migrant workers are a target group.",
        } | overrides

    return make
