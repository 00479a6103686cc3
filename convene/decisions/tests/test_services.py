"""The consensus rules of both charters, escalation to the UNCT, the silence procedure, the
numbered immutable register and the charter decisions that take effect when adopted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from convene.core.models import ChangeLog, OutboundEmail
from convene.decisions import rules, services
from convene.decisions.models import Decision, Escalation, Proposal
from convene.networks.models import Body, Membership, Organisation
from convene.networks.services import apply_for_membership

from .conftest import KAZAKHSTAN_MEMBERS, KENYA_EC

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


def agree_all(proposal, people, skip=()):
    for acronym, person in people.items():
        if acronym not in skip:
            services.record_position(by=person, proposal=proposal, organisation=org(acronym), stance="agree")


# How each charter decides -----------------------------------------------------------------------


def test_kenya_decides_in_the_executive_committee_and_escalates_to_the_unct(kenya):
    ec = kenya.bodies.get(slug="executive-committee")
    assert rules.deciding_body_for(kenya, Proposal.Kind.GENERAL) == ec
    assert rules.deciding_body_for(kenya, Proposal.Kind.ADMIT_MEMBER) == ec
    assert rules.deciding_body_for(kenya, Proposal.Kind.SELECT_CO_CHAIRS) == ec
    assert sorted(m.organisation.acronym for m in rules.deciding_members(ec)) == KENYA_EC
    assert ec.escalates_to.slug == "unct"
    assert not rules.consult_all_members(kenya)
    assert rules.register_prefix(kenya) == "KEN"


def test_kazakhstan_decides_in_the_network_after_consulting_all_members_and_the_ministry(kazakhstan):
    network = kazakhstan.bodies.get(slug="network")
    assert rules.deciding_body_for(kazakhstan, Proposal.Kind.GENERAL) == network
    assert rules.deciding_body_for(kazakhstan, Proposal.Kind.ESTABLISH_WORKING_GROUP) == network
    assert sorted(m.organisation.acronym for m in rules.deciding_members(network)) == KAZAKHSTAN_MEMBERS
    assert network.escalates_to is None
    assert rules.consult_all_members(kazakhstan)
    [mol] = rules.consultation_rules(kazakhstan)
    assert mol.organisation.acronym == "MOL"


def test_kenya_proposal_without_objection_is_adopted_by_consensus_and_numbered(
    kenya, propose, ec, kenya_secretariat
):
    proposal = propose()
    assert OutboundEmail.objects.filter(topic="proposal").count() == len(KENYA_EC)
    agree_all(proposal, ec, skip={"UNODC"})
    services.record_position(
        by=ec["UNODC"],
        proposal=proposal,
        organisation=org("UNODC"),
        stance="stand_aside",
        reason="Outside mandate",
    )
    services.close_proposal(by=kenya_secretariat, proposal=proposal)
    proposal.refresh_from_db()
    decision = proposal.decision
    year = kenya.today().year
    assert proposal.status == "adopted"
    assert (decision.number, decision.adopted_by) == (f"KEN/{year}/001", "consensus")
    assert decision.text == proposal.text and decision.body.slug == "executive-committee"
    second = propose(title="Second")
    agree_all(second, ec)
    services.close_proposal(by=kenya_secretariat, proposal=second)
    assert Decision.objects.get(proposal=second).number == f"KEN/{year}/002"


def test_an_objection_in_kenya_is_tabled_to_the_unct_which_decides(propose, ec, kenya, kenya_secretariat):
    proposal = propose()
    agree_all(proposal, ec, skip={"UNHCR"})
    services.record_position(
        by=ec["UNHCR"],
        proposal=proposal,
        organisation=org("UNHCR"),
        stance="object",
        reason="Protection concerns",
    )
    services.close_proposal(by=kenya_secretariat, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "escalated"
    escalation = proposal.pending_escalation
    assert escalation.to_body.slug == "unct" and escalation.outcome == "pending"
    assert "UNHCR" in proposal.outcome_note
    assert not Decision.objects.exists()

    services.update_escalation(
        by=kenya_secretariat, escalation=escalation, unct_meeting_note="UNCT HoA, March"
    )
    services.record_unct_decision(
        by=kenya_secretariat,
        escalation=escalation,
        adopted=True,
        decided_on=kenya.today(),
        unct_decision="The UNCT endorses the note with UNHCR's protection language.",
    )
    proposal.refresh_from_db()
    assert proposal.status == "adopted" and proposal.decision.adopted_by == "unct"
    with pytest.raises(ValidationError, match="already"):
        services.record_unct_decision(
            by=kenya_secretariat,
            escalation=escalation,
            adopted=False,
            decided_on=kenya.today(),
            unct_decision="x",
        )


def test_the_unct_may_decide_not_to_adopt(kenya, propose, ec, kenya_secretariat):
    proposal = propose()
    services.record_position(
        by=ec["ILO"], proposal=proposal, organisation=org("ILO"), stance="object", reason="No"
    )
    services.close_proposal(by=kenya_secretariat, proposal=proposal)
    escalation = Escalation.objects.get(proposal=proposal)
    services.record_unct_decision(
        by=kenya_secretariat,
        escalation=escalation,
        adopted=False,
        decided_on=kenya.today(),
        unct_decision="Declined",
    )
    proposal.refresh_from_db()
    assert proposal.status == "not_adopted" and not Decision.objects.exists()
    with pytest.raises(ValidationError, match="UNCT has decided"):
        services.reopen_proposal(by=kenya_secretariat, proposal=proposal, reason="Try again")


def test_kazakhstan_needs_every_member_and_the_ministry_before_adoption(kazakhstan, kz_members, propose):
    mol_rule = rules.consultation_rules(kazakhstan)[0]
    proposal = propose(network=kazakhstan, consultations=[mol_rule], title="Labour migration policy brief")
    [consultation] = proposal.consultations.all()
    assert (consultation.organisation.acronym, consultation.required) == ("MOL", True)
    agree_all(proposal, kz_members, skip={"UNRCCA"})
    with pytest.raises(ValidationError) as exc:
        services.close_proposal(by=None, proposal=proposal)
    assert "mandatory consultation is missing" in str(exc.value) and "UNRCCA" in str(exc.value)
    services.record_position(
        by=kz_members["UNRCCA"], proposal=proposal, organisation=org("UNRCCA"), stance="agree"
    )
    with pytest.raises(ValidationError, match="mandatory consultation"):
        services.close_proposal(by=None, proposal=proposal)
    services.record_consultation(
        by=None,
        consultation=consultation,
        consulted_on=kazakhstan.today(),
        consulted="Department of Migration, MOL",
        outcome="No objection; asks to be kept informed.",
    )
    services.close_proposal(by=None, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "adopted" and proposal.decision.number.startswith("KAZ/")


def test_kazakhstan_objection_means_no_consensus_and_no_escalation(kazakhstan, kz_members, propose):
    proposal = propose(network=kazakhstan, concerns_state=False)
    services.record_position(
        by=kz_members["UNHCR"],
        proposal=proposal,
        organisation=org("UNHCR"),
        stance="object",
        reason="Mandate",
    )
    services.close_proposal(by=None, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "not_adopted" and not proposal.escalations.exists()
    assert "Consensus not reached" in proposal.outcome_note


# Silence procedure, on a controllable clock ------------------------------------------------------


def test_a_silence_procedure_is_adopted_at_its_deadline_when_nobody_objects(propose, ec):
    start = timezone.now().replace(microsecond=0)
    deadline = start + datetime.timedelta(days=5)
    proposal = propose(procedure="written", deadline=deadline, now=start)
    services.record_position(by=ec["IOM"], proposal=proposal, organisation=org("IOM"), stance="agree")
    with pytest.raises(ValidationError, match="silence procedure runs until its deadline"):
        services.close_proposal(by=None, proposal=proposal, now=start + datetime.timedelta(days=1))
    assert services.close_due_written_procedures(deadline - datetime.timedelta(seconds=1)) == 0
    assert services.close_due_written_procedures(deadline) == 1
    proposal.refresh_from_db()
    assert proposal.status == "adopted" and proposal.decision.adopted_by == "silence"
    assert proposal.decision.adopted_at == deadline


def test_an_objection_breaks_the_silence(propose, ec):
    start = timezone.now().replace(microsecond=0)
    deadline = start + datetime.timedelta(days=5)
    proposal = propose(procedure="written", deadline=deadline, now=start)
    services.record_position(
        by=ec["UNDP"], proposal=proposal, organisation=org("UNDP"), stance="object", reason="Budget"
    )
    assert services.close_due_written_procedures(deadline) == 1
    proposal.refresh_from_db()
    assert proposal.status == "escalated"


def test_a_silence_procedure_missing_its_consultation_stays_open_and_tells_the_secretariat_once(
    kazakhstan, kazakhstan_secretariat, propose
):
    start = timezone.now().replace(microsecond=0)
    deadline = start + datetime.timedelta(days=5)
    proposal = propose(
        network=kazakhstan,
        procedure="written",
        deadline=deadline,
        now=start,
        consultations=rules.consultation_rules(kazakhstan),
    )
    assert services.close_due_written_procedures(deadline) == 0
    assert services.close_due_written_procedures(deadline + datetime.timedelta(hours=1)) == 0
    proposal.refresh_from_db()
    assert proposal.status == "open"
    with translation.override(kazakhstan_secretariat.language or kazakhstan.language):
        subject = f"[{kazakhstan}] " + gettext("Silence procedure not closed: %(t)s") % {"t": proposal.title}
    stuck = OutboundEmail.objects.filter(subject=subject)
    assert [m.to for m in stuck] == [[kazakhstan_secretariat.email]]


def test_a_silence_procedure_closed_meanwhile_by_another_run_raises_no_alarm(
    kenya_secretariat, propose, ec, monkeypatch
):
    """Two hourly runs at once (an overlap the schedule prevents, or a person closing it by hand):
    the one that finds the proposal closed says nothing."""
    start = timezone.now().replace(microsecond=0)
    deadline = start + datetime.timedelta(days=5)
    proposal = propose(procedure="written", deadline=deadline, now=start)
    close = services.close_proposal

    def closed_first_elsewhere(*, by, proposal, now):
        close(by=None, proposal=Proposal.objects.get(pk=proposal.pk), now=now)  # the other run
        return close(by=by, proposal=proposal, now=now)

    monkeypatch.setattr(services, "close_proposal", closed_first_elsewhere)
    assert services.close_due_written_procedures(deadline) == 0
    proposal.refresh_from_db()
    assert proposal.status == "adopted"
    assert not OutboundEmail.objects.filter(to=[kenya_secretariat.email]).exists()


def test_a_written_procedure_needs_a_future_deadline(propose):
    with pytest.raises(ValidationError, match="deadline in the future"):
        propose(procedure="written")
    with pytest.raises(ValidationError, match="deadline in the future"):
        propose(procedure="written", deadline=timezone.now() - datetime.timedelta(hours=1))
    assert not Proposal.objects.exists()


# Positions --------------------------------------------------------------------------------------


def test_only_members_of_the_deciding_body_take_positions(propose, ec):
    proposal = propose()
    with pytest.raises(ValidationError, match="not a member of Executive Committee"):
        services.record_position(by=None, proposal=proposal, organisation=org("FAO"), stance="agree")


def test_one_position_per_organisation_that_can_change_until_closing(
    propose, ec, seat, kenya, kenya_secretariat
):
    alternate = seat(kenya, "executive-committee", "ILO", email="alternate@ilo.test")
    proposal = propose()
    services.record_position(
        by=ec["ILO"], proposal=proposal, organisation=org("ILO"), stance="object", reason="Wait"
    )
    services.record_position(by=alternate, proposal=proposal, organisation=org("ILO"), stance="agree")
    [position] = proposal.positions.all()
    assert (position.stance, position.recorded_by) == ("agree", alternate)
    changes = ChangeLog.objects.filter(object_id=str(position.pk), action="update").get().changes
    assert changes["stance"] == ["object", "agree"]
    services.withdraw_proposal(by=kenya_secretariat, proposal=proposal, reason="Superseded by events")
    with pytest.raises(ValidationError, match="closed"):
        services.record_position(
            by=ec["ILO"], proposal=proposal, organisation=org("ILO"), stance="object", reason="x"
        )


def test_standing_aside_or_objecting_needs_a_reason(propose, ec):
    proposal = propose()
    for stance in ("stand_aside", "object"):
        with pytest.raises(ValidationError, match="reason"):
            services.record_position(by=ec["ILO"], proposal=proposal, organisation=org("ILO"), stance=stance)
    assert not proposal.positions.exists()


def test_the_secretariat_records_a_position_given_by_email_on_the_entitys_behalf(propose, kenya_secretariat):
    proposal = propose()
    position = services.record_position(
        by=kenya_secretariat, proposal=proposal, organisation=org("OHCHR"), stance="agree", channel="email"
    )
    assert position.on_behalf and position.recorded_by == kenya_secretariat


def test_the_tally_shows_who_has_not_responded(propose, ec):
    proposal = propose()
    services.record_position(by=ec["IOM"], proposal=proposal, organisation=org("IOM"), stance="agree")
    tally = services.tally(proposal)
    assert tally["agree"] == 1 and tally["members"] == 8
    assert [o.acronym for o in tally["waiting"]] == [a for a in KENYA_EC if a != "IOM"]


def test_wording_is_frozen_once_a_position_is_taken(propose, ec, kenya_secretariat):
    proposal = propose()
    services.update_proposal(by=kenya_secretariat, proposal=proposal, text="Better wording.")
    services.record_position(by=ec["IOM"], proposal=proposal, organisation=org("IOM"), stance="agree")
    with pytest.raises(ValidationError, match="Positions have been taken"):
        services.update_proposal(by=kenya_secretariat, proposal=proposal, text="Sneaky change.")
    later = timezone.now() + datetime.timedelta(days=20)
    services.update_proposal(by=kenya_secretariat, proposal=proposal, deadline=later)
    proposal.refresh_from_db()
    assert proposal.text == "Better wording." and proposal.deadline == later.replace(
        microsecond=later.microsecond
    )


# Closed proposals and the register -----------------------------------------------------------------


def test_a_closed_proposal_changes_only_by_an_audited_reopen(propose, ec, kenya_secretariat):
    proposal = propose()
    services.defer_proposal(by=kenya_secretariat, proposal=proposal, reason="Await the UNSDCF review")
    with pytest.raises(ValidationError, match="closed"):
        services.close_proposal(by=kenya_secretariat, proposal=proposal)
    with pytest.raises(ValidationError, match="reason"):
        services.reopen_proposal(by=kenya_secretariat, proposal=proposal, reason=" ")
    services.reopen_proposal(by=kenya_secretariat, proposal=proposal, reason="Review done")
    proposal.refresh_from_db()
    assert proposal.status == "open"
    entry = ChangeLog.objects.filter(object_id=str(proposal.pk), action="update").first()
    assert entry.actor == kenya_secretariat and entry.changes["status"] == ["deferred", "open"]


def test_a_reopened_escalation_is_returned_from_the_unct(propose, ec, kenya_secretariat):
    proposal = propose()
    services.record_position(
        by=ec["ILO"], proposal=proposal, organisation=org("ILO"), stance="object", reason="No"
    )
    services.close_proposal(by=kenya_secretariat, proposal=proposal)
    services.reopen_proposal(by=kenya_secretariat, proposal=proposal, reason="ILO asked to talk again")
    assert Escalation.objects.get(proposal=proposal).outcome == "returned"
    services.close_proposal(by=kenya_secretariat, proposal=proposal)  # still objecting: tabled again
    assert proposal.escalations.count() == 2 and proposal.pending_escalation is not None


def test_an_adopted_decision_cannot_change_or_be_reopened(propose, ec, kenya_secretariat):
    proposal = propose()
    services.close_proposal(by=kenya_secretariat, proposal=proposal)
    decision = Decision.objects.get()
    decision.text = "Rewritten"
    with pytest.raises(ValidationError, match="cannot be changed"):
        decision.save()
    with pytest.raises(ValidationError, match="cannot be changed"):
        Decision.objects.filter(pk=decision.pk).update(text="Rewritten")
    with pytest.raises(ValidationError, match="cannot be deleted"):
        decision.delete()
    with pytest.raises(ValidationError, match="amends or supersedes"):
        services.reopen_proposal(by=kenya_secretariat, proposal=proposal, reason="Oops")
    assert Decision.objects.get().text == proposal.text


def test_a_later_decision_amends_and_another_supersedes(propose, kenya_secretariat):
    first = propose(title="Workplan 2027")
    services.close_proposal(by=kenya_secretariat, proposal=first)
    original = Decision.objects.get()
    amendment = propose(title="Workplan 2027, revised budget", amends=original)
    services.close_proposal(by=kenya_secretariat, proposal=amendment)
    replacement = propose(title="Workplan 2027, new", supersedes=original)
    services.close_proposal(by=kenya_secretariat, proposal=replacement)
    assert [d.title for d in original.amended_by.all()] == ["Workplan 2027, revised budget"]
    assert [d.title for d in original.superseded_by.all()] == ["Workplan 2027, new"]
    with pytest.raises(ValidationError, match="not both"):
        propose(amends=original, supersedes=original)


def test_numbering_restarts_each_year(kenya, propose, kenya_secretariat):
    now = timezone.now()
    last_year = now - datetime.timedelta(days=365)
    old = propose()
    services.close_proposal(by=kenya_secretariat, proposal=old, now=last_year)
    new = propose(title="This year")
    services.close_proposal(by=kenya_secretariat, proposal=new, now=now)
    numbers = sorted(Decision.objects.values_list("number", flat=True))
    before, year = kenya.today(last_year).year, kenya.today(now).year  # the network's years, not the server's
    assert before < year and numbers == [f"KEN/{before}/001", f"KEN/{year}/001"]


# Charter decisions take effect when adopted ---------------------------------------------------------


def test_admitting_a_member_is_a_decision_of_the_executive_committee(kenya, propose, kenya_secretariat):
    application = apply_for_membership(by=None, network=kenya, organisation=org("UN-Habitat"))
    with pytest.raises(ValidationError, match="does not take decisions"):
        propose(kind="admit_member", membership=application, body=kenya.bodies.get(slug="network"))
    proposal = propose(kind="admit_member", membership=application, title="Admit UN-Habitat")
    with pytest.raises(ValidationError, match="already before a deciding body"):
        propose(kind="admit_member", membership=application)
    services.close_proposal(by=kenya_secretariat, proposal=proposal)
    application.refresh_from_db()
    decision = Decision.objects.get()
    assert application.status == "active" and application.decided_by.slug == "executive-committee"
    assert application.decision_note == decision.number


def test_establishing_changing_and_abolishing_a_working_group_are_decisions(
    kenya, propose, kenya_secretariat
):
    establish = propose(
        kind="establish_working_group",
        title="Establish a TWG on labour migration",
        payload={"name": "TWG Labour Migration", "focus": "Fair recruitment"},
    )
    assert not kenya.bodies.filter(name="TWG Labour Migration").exists()
    services.close_proposal(by=kenya_secretariat, proposal=establish)
    group = kenya.bodies.get(name="TWG Labour Migration")
    establish.refresh_from_db()
    assert establish.working_group == group and group.established_on == kenya.today()

    change = propose(
        kind="change_working_group", working_group=group, payload={"focus": "Fair recruitment and skills"}
    )
    services.close_proposal(by=kenya_secretariat, proposal=change)
    group.refresh_from_db()
    assert group.focus == "Fair recruitment and skills"

    ilo = Membership.objects.create(body=group, organisation=org("ILO"), status="active")
    co_chairs = propose(
        kind="select_co_chairs", working_group=group, payload={"organisations": [ilo.organisation_id]}
    )
    services.close_proposal(by=kenya_secretariat, proposal=co_chairs)
    assert (
        group.memberships.current(on=group.network.today()).filter(role="co_chair").get().organisation.acronym
        == "ILO"
    )

    abolish = propose(kind="abolish_working_group", working_group=group)
    services.close_proposal(by=kenya_secretariat, proposal=abolish)
    group.refresh_from_db()
    assert group.abolished_on == kenya.today()
    assert Decision.objects.count() == 4


def test_a_charter_decision_that_cannot_take_effect_is_refused_before_it_is_put(kenya, propose):
    with pytest.raises(ValidationError, match="already has a body with that name"):
        propose(kind="establish_working_group", payload={"name": "Executive Committee"})
    group = kenya.bodies.get(slug="executive-committee")
    with pytest.raises(ValidationError, match="active working group"):
        propose(kind="abolish_working_group", working_group=group)
    assert not Proposal.objects.exists()


def test_a_body_that_does_not_decide_cannot_be_asked(kenya, propose):
    with pytest.raises(ValidationError, match="does not take decisions"):
        propose(body=kenya.bodies.get(slug="unct"))
    assert Body.objects.filter(network=kenya, decision_method="consensus").count() == 1


def test_an_organisation_that_left_the_body_no_longer_decides(kenya, propose, ec, kenya_secretariat):
    proposal = propose()
    services.record_position(
        by=ec["UNODC"], proposal=proposal, organisation=org("UNODC"), stance="object", reason="No"
    )
    Membership.objects.filter(body__slug="executive-committee", organisation=org("UNODC")).update(
        status="ended"
    )
    assert services.tally(proposal)["objections"] == []
    services.close_proposal(by=kenya_secretariat, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "adopted"


# Records cannot contradict the calendar -----------------------------------------------------------


def _ec_meeting(kenya, starts_at):
    from convene.meetings import services as meetings

    return meetings.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="executive-committee"),
        title="EC meeting",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
    )


def test_a_position_given_orally_at_a_meeting_cannot_predate_it(kenya, propose, ec, kenya_secretariat):
    meeting = _ec_meeting(kenya, timezone.now() + datetime.timedelta(days=3))
    proposal = propose(meeting=meeting)
    with pytest.raises(ValidationError, match="has not taken place yet"):
        services.record_position(
            by=kenya_secretariat,
            proposal=proposal,
            organisation=org("ILO"),
            stance="agree",
            channel="meeting",
        )
    without_meeting = propose(title="Without a meeting")
    with pytest.raises(ValidationError, match="not before a meeting"):
        services.record_position(
            by=kenya_secretariat,
            proposal=without_meeting,
            organisation=org("ILO"),
            stance="agree",
            channel="meeting",
        )
    assert not proposal.positions.exists() and not without_meeting.positions.exists()


def test_a_decision_is_not_adopted_at_a_meeting_before_it_takes_place(kenya, propose, ec, kenya_secretariat):
    meeting = _ec_meeting(kenya, timezone.now() + datetime.timedelta(days=3))
    proposal = propose(meeting=meeting)
    agree_all(proposal, ec)
    with pytest.raises(ValidationError, match="has not taken place yet"):
        services.close_proposal(by=kenya_secretariat, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "open"
    # Once the meeting has begun, the decision is recorded as taken there.
    services.close_proposal(by=kenya_secretariat, proposal=proposal, now=meeting.starts_at)
    assert Decision.objects.get(proposal=proposal).meeting == meeting
