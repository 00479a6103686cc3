import datetime

import pytest
from django.utils import timezone

from convene.decisions import services

KENYA_EC = ["ILO", "IOM", "OHCHR", "UNDESA", "UNDP", "UNHCR", "UNICEF", "UNODC"]
KAZAKHSTAN_MEMBERS = [
    "DGC/UNIC",
    "IOM",
    "UN RCO",
    "UNDP",
    "UNESCO",
    "UNFPA",
    "UNHCR",
    "UNICEF",
    "UNODC",
    "UNRCCA",
]


@pytest.fixture
def ec(kenya, seat):
    """A representative for every Executive Committee entity of Kenya, by acronym."""
    return {acronym: seat(kenya, "executive-committee", acronym) for acronym in KENYA_EC}


@pytest.fixture
def kz_members(kazakhstan, seat):
    return {acronym: seat(kazakhstan, "network", acronym) for acronym in KAZAKHSTAN_MEMBERS}


@pytest.fixture
def propose(kenya, kenya_secretariat):
    """propose(**fields) -> a general proposal to Kenya's Executive Committee, at a meeting."""

    def make(network=None, body=None, **fields):
        network = network or kenya
        values = {
            "title": "Joint advocacy note on labour migration",
            "text": "The Network adopts the joint advocacy note.",
            "topic": "Labour migration",
        } | fields
        body = body or network.bodies.get(decision_method="consensus")
        return services.propose(by=kenya_secretariat, network=network, body=body, **values)

    return make


@pytest.fixture
def in_a_week():
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
