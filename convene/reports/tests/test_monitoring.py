"""Kenya's periodic reports to the UNCT and the Government, measured from the reports issued."""

import datetime
import re

import pytest
from django.utils import timezone

from convene.core.dates import show_date
from convene.networks import monitoring
from convene.networks.charter import RULE_PARAMS
from convene.networks.models import Network, Rule
from convene.networks.queries import load_structure
from convene.reports import services
from convene.reports.models import Report, ReportVersion

pytestmark = pytest.mark.clock


def status_of(network):
    network = Network.objects.get(pk=network.pk)
    [result] = monitoring.evaluate(network.rules.filter(kind=Rule.Kind.REPORTING), load_structure(network))
    return result.status, result.detail


def issue(network, audience, *, ago_days=0):
    report = services.create_report(
        by=None,
        network=network,
        audience=audience,
        period="half",
        year=network.today().year,
        recipients=["rc@un.test"],
    )
    version = services.issue_report(by=None, report=report)
    ReportVersion.objects.filter(pk=version.pk).update(
        issued_at=timezone.now() - datetime.timedelta(days=ago_days)
    )


def test_each_audience_needs_a_report_within_six_months(kenya):
    status, detail = status_of(kenya)
    assert status == "due"
    assert (
        "UN Country Team: no report issued yet." in detail and "Government: no report issued yet." in detail
    )
    issue(kenya, "unct")
    status, detail = status_of(kenya)
    assert status == "due" and f"UN Country Team: issued on {show_date(kenya.today())}," in detail
    issue(kenya, "government", ago_days=10)
    assert status_of(kenya)[0] == "met"


def test_an_audience_without_a_report_for_longer_than_the_period_is_missed(kenya):
    Network.objects.filter(pk=kenya.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    issue(kenya, "unct", ago_days=10)
    issue(kenya, "government", ago_days=200)
    status, detail = status_of(kenya)
    assert status == "missed" and "Government: no report issued since " in detail
    assert not re.search(r"\d{4}-\d{2}-\d{2}", detail)  # dates as people read them, not ISO
    # A report to the annual meeting is not one to the Government.
    issue(kenya, "annual_meeting")
    assert status_of(kenya)[0] == "missed"


def test_the_charter_schema_names_exactly_the_report_audiences():
    assert RULE_PARAMS[Rule.Kind.REPORTING]["audiences"]["items"]["enum"] == list(Report.Audience.values)
