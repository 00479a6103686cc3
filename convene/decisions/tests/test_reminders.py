"""Reminders on the real worker to a real SMTP server: positions owed before a deadline, action
items due and overdue, each once; and a silence procedure adopted when the hourly job passes its
deadline. The clock is the `now` handed to the job, fixed mid-quarter: the hourly task also runs
meetings' jobs, and on a real clock Kenya's quarter reminder (three weeks before a quarter ends)
would be counted too, and a deadline near New Year would be numbered in the next year."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from convene.decisions import services
from convene.decisions.models import Decision, Proposal
from convene.meetings import reminders
from convene.networks.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

START = datetime.datetime(2027, 2, 1, 9, tzinfo=ZoneInfo("Africa/Nairobi"))  # Q1 ends 31 March


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


def recipients(server):
    return sorted(address for envelope in server.received for address in envelope.rcpt_tos)


def test_members_who_owe_a_position_are_reminded_once_before_the_deadline(
    propose, ec, smtp_server, run_worker
):
    deadline = START + datetime.timedelta(days=5)
    proposal = propose(procedure="written", deadline=deadline, now=START)
    for acronym in ("ILO", "IOM", "OHCHR", "UNDESA", "UNDP", "UNHCR"):
        services.record_position(by=ec[acronym], proposal=proposal, organisation=org(acronym), stance="agree")
    run_worker()  # the invitations to take a position
    smtp_server.envelopes.clear()
    assert reminders.run_reminders(deadline - datetime.timedelta(days=3)) == 0  # too early
    assert reminders.run_reminders(deadline - datetime.timedelta(hours=47)) == 1
    assert reminders.run_reminders(deadline - datetime.timedelta(hours=46)) == 0  # once
    run_worker()
    assert recipients(smtp_server) == sorted([ec["UNICEF"].email, ec["UNODC"].email])
    assert b"has not yet given its position" in smtp_server.received[0].content


def test_a_silence_procedure_is_adopted_when_the_job_passes_its_deadline(
    propose, ec, smtp_server, run_worker
):
    deadline = START + datetime.timedelta(days=5)
    proposal = propose(procedure="written", deadline=deadline, now=START)
    reminders.run_reminders(deadline + datetime.timedelta(minutes=5))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ADOPTED
    decision = Decision.objects.get()
    assert (decision.number, decision.adopted_by) == ("KEN/2027/001", Decision.AdoptedBy.SILENCE)


def test_action_owners_are_reminded_before_and_after_the_due_date(kenya, ec, seat, smtp_server, run_worker):
    now = START
    today = kenya.today(now)
    owned = services.create_action_item(
        by=None, network=kenya, title="Owned", owner_organisation=org("ILO"), owner=ec["ILO"],
        due_date=today + datetime.timedelta(days=2),
    )  # fmt: skip
    services.create_action_item(
        by=None, network=kenya, title="Orphan", owner_organisation=org("UNDP"),
        due_date=today - datetime.timedelta(days=1),
    )  # fmt: skip
    soon = services.create_action_item(
        by=None, network=kenya, title="Soon", owner_organisation=org("UNHCR"), owner=ec["UNHCR"],
        due_date=today + datetime.timedelta(days=4),
    )  # fmt: skip
    services.create_action_item(
        by=None,
        network=kenya,
        title="Far",
        owner_organisation=org("UNDP"),
        due_date=today + datetime.timedelta(days=30),
    )
    run_worker()
    smtp_server.envelopes.clear()
    assert reminders.run_reminders(now) == 2  # due in two days, and overdue since yesterday
    assert reminders.run_reminders(now + datetime.timedelta(hours=1)) == 0
    run_worker()
    assert recipients(smtp_server) == sorted([ec["ILO"].email, ec["UNDP"].email])
    subjects = b" ".join(e.content for e in smtp_server.received)
    assert b"Due on" in subjects and b"Overdue since" in subjects
    assert b"/actions/" in subjects  # the action's page
    # Three days before its due date the next one is reminded, once.
    assert reminders.run_reminders(now + datetime.timedelta(days=1)) == 1
    assert reminders.run_reminders(now + datetime.timedelta(days=1, hours=1)) == 0
    run_worker()
    assert smtp_server.received[-1].rcpt_tos == [ec["UNHCR"].email]
    # A week later the overdue one is reminded again, once; those done never.
    services.report_progress(by=None, action=owned, text="Done", status="done")
    services.report_progress(by=None, action=soon, text="Done", status="done")
    smtp_server.envelopes.clear()
    assert reminders.run_reminders(now + datetime.timedelta(days=7)) == 1
    assert reminders.run_reminders(now + datetime.timedelta(days=8)) == 0
    run_worker()
    [envelope] = smtp_server.received
    assert envelope.rcpt_tos == [ec["UNDP"].email]
    assert b"Overdue since" in envelope.content


def test_without_an_active_owner_the_organisations_current_representatives_are_reminded(kenya, ec, seat):
    from convene.core.models import OutboundEmail
    from convene.networks.models import Representative

    today = kenya.today(START)
    services.create_action_item(
        by=None, network=kenya, title="Owned", owner_organisation=org("ILO"), owner=ec["ILO"],
        due_date=today + datetime.timedelta(days=1),
    )  # fmt: skip
    ec["ILO"].is_active = False  # the owner has left
    ec["ILO"].save(update_fields=["is_active"])
    current = seat(kenya, "network", "ILO")
    former = seat(kenya, "network", "ILO")
    Representative.objects.filter(person=former).update(end_date=today - datetime.timedelta(days=30))
    OutboundEmail.objects.all().delete()
    assert reminders.run_reminders(START) == 1
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [[current.email]]
