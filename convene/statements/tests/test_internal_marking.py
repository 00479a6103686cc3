"""An internal record that leaves the network by e-mail says so: "Internal — for the named recipients
only" on approved minutes sent to a working group with external partners, on a matter put to a
ministry's focal point and on an issued report, unless the record was released; the e-mails among
members stay as they were. Through a real SMTP server and the real task worker."""

import datetime
import email
import email.policy

import pytest
from django.utils import timezone

from convene.decisions import services as decisions
from convene.decisions import testing as charter_powers
from convene.meetings import services as meetings
from convene.meetings.models import Minutes
from convene.networks import services as networks
from convene.networks.models import Organisation
from convene.reports import services as reports
from convene.statements import releases
from convene.statements.models import Release

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MARKING = "Internal — for the named recipients only: the network has not agreed to make it public."


def received(server) -> dict[str, str]:
    """The plain text each recipient received, by address."""
    texts = {}
    for envelope in server.received:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        texts[envelope.rcpt_tos[0]] = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    return texts


def approved_minutes(body) -> Minutes:
    start = timezone.now() - datetime.timedelta(days=2)
    meeting = meetings.schedule_meeting(
        by=None, body=body, title="TWG meeting", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    minutes = meetings.start_minutes(by=None, meeting=meeting)
    # Set-up only: the way to approval is the meetings' own tests'.
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.APPROVED, approved_at=timezone.now())
    minutes.refresh_from_db()
    return minutes


@pytest.fixture
def group_with_partner(kenya, seat):
    """A working group with a member agency and a civil-society partner from outside the network."""
    group = charter_powers.establish_working_group(network=kenya, name="TWG on labour migration")
    ilo = seat(kenya, "network", "ILO")
    networks.add_membership(by=None, body=group, organisation=Organisation.objects.get(acronym="ILO"))
    networks.designate_representative(by=None, membership=group.memberships.get(), email=ilo.email)
    cso = networks.create_organisation(by=None, acronym="CSO", name="A CSO", kind="cso", country="KE")
    networks.add_membership(by=None, body=group, organisation=cso, role="external_partner")
    partner = seat(kenya, group.slug, "CSO", role="external_partner")
    return group, ilo, partner


def test_minutes_sent_to_external_partners_are_marked_internal(smtp_server, run_worker, group_with_partner):
    group, ilo, partner = group_with_partner
    meetings.disseminate_minutes(by=None, minutes=approved_minutes(group))
    run_worker()
    texts = received(smtp_server)
    assert set(texts) == {ilo.email, partner.email}
    for text in texts.values():
        assert MARKING in text and "For internal use of the network." in text


def test_released_minutes_go_out_without_the_marking(smtp_server, run_worker, kenya, group_with_partner):
    group, _ilo, partner = group_with_partner
    minutes = approved_minutes(group)
    release = releases.propose_release(by=None, record=minutes)
    Release.objects.filter(pk=release.pk).update(status=Release.Status.RELEASED, released_at=timezone.now())
    meetings.disseminate_minutes(by=None, minutes=minutes)
    run_worker()
    text = received(smtp_server)[partner.email]
    assert "The approved minutes of TWG meeting are attached" in text
    assert MARKING not in text and "For internal use of the network." not in text


def test_minutes_among_members_stay_as_they_were(smtp_server, run_worker, kenya, kenya_member):
    meetings.disseminate_minutes(by=None, minutes=approved_minutes(kenya.bodies.get(slug="network")))
    run_worker()
    text = received(smtp_server)[kenya_member.email]
    assert "For internal use of the network." in text and MARKING not in text


def test_a_matter_put_to_a_ministrys_focal_point_is_marked_internal(
    smtp_server, run_worker, kazakhstan, kazakhstan_secretariat
):
    ministry = Organisation.objects.get(acronym="MOL", country="KZ")
    focal_point = decisions.designate_focal_point(
        by=None, network=kazakhstan, organisation=ministry, email="focal@mol.kz", full_name="Focal"
    ).person
    focal_point.language = "en"  # else Russian, the network's
    focal_point.save()
    decisions.propose(
        by=kazakhstan_secretariat,
        network=kazakhstan,
        body=kazakhstan.bodies.get(slug="network"),
        title="Labour migration brief",
        text="The Network shares the brief.",
        concerns_state=True,
    )
    run_worker()
    text = received(smtp_server)["focal@mol.kz"]
    assert "The Network shares the brief." in text and MARKING in text


def test_an_issued_report_to_outside_addresses_is_marked_internal(smtp_server, run_worker, kenya):
    report = reports.create_report(
        by=None,
        network=kenya,
        audience="unct",
        period="year",
        year=kenya.today().year,
        title="Annual report",
        recipients=["rc.office@un.example"],
    )
    reports.issue_report(by=None, report=report)
    run_worker()
    assert MARKING in received(smtp_server)["rc.office@un.example"]
