"""Speaking with one voice: clearance by agency seat (explicit or silence at a deadline in the
network's time), stale clearances voided by a new version unless it is editorial, objection and
dissociation, sign-off by those the charter names, and the signatory line from the seats that
cleared."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from convene.core.models import OutboundEmail
from convene.networks.models import Organisation
from convene.statements import permissions, reminders, services
from convene.statements.models import Clearance, Round, Statement

pytestmark = pytest.mark.clock
Answer = Clearance.Answer


def org(acronym):
    return Organisation.objects.get(acronym=acronym)


def draft(network, by=None, *, texts=None, language="en", **extra):
    return services.draft_statement(
        by=by,
        network=network,
        body=network.bodies.get(kind="plenary"),
        title="On the rights of migrant workers",
        texts=texts or {language: {"title": "", "text": "First paragraph.\n\nSecond paragraph."}},
        authoritative_language=language,
        **{"concerns_state": False, **extra},
    )


def seats(round):
    return {c.organisation.acronym: c for c in round.clearances.select_related("organisation")}


def answer(round, acronym, value, comment=""):
    return services.answer_clearance(
        by=None, round=round, organisation=org(acronym), answer=value, comment=comment
    )


def test_kazakhstan_every_member_clears_and_silence_at_the_deadline_counts_as_clearance(kazakhstan):
    statement = draft(
        kazakhstan,
        texts={
            "ru": {"title": "", "text": "Первый абзац.\n\nВторой абзац."},
            "en": {"title": "", "text": "One."},
        },
        language="ru",
    )
    round = services.put_to_clearance(by=None, statement=statement)
    members = {m.organisation.acronym for m in kazakhstan.bodies.get(kind="plenary").memberships.all()}
    assert set(seats(round)) <= members and len(seats(round)) > 5
    # 72 hours by default (the charter's silence period), in the network's time.
    assert abs(round.deadline - timezone.now() - datetime.timedelta(hours=72)) < datetime.timedelta(minutes=1)
    assert statement.status == Statement.Status.CLEARANCE
    answer(round, "UNHCR", Answer.COMMENTS, "Add a reference to refugees.")
    answer(round, "UNICEF", Answer.CLEARED)
    assert services.close_due_rounds(round.deadline - datetime.timedelta(seconds=1)) == 0
    assert services.close_due_rounds(round.deadline + datetime.timedelta(seconds=1)) == 1
    round.refresh_from_db()
    statement.refresh_from_db()
    assert round.outcome == Round.Outcome.CLEARED and statement.status == Statement.Status.CLEARED
    answers = {a: c.answer for a, c in seats(round).items()}
    assert answers["UNHCR"] == Answer.COMMENTS and answers["UNICEF"] == Answer.CLEARED
    assert {v for a, v in answers.items() if a not in ("UNHCR", "UNICEF")} == {Answer.SILENCE}
    with pytest.raises(ValidationError, match="closed"):
        answer(round, "UNICEF", Answer.OBJECTS, "Too late.")


def test_both_co_chairs_sign_off_before_it_is_issued_in_the_name_of_the_network(kazakhstan, seat):
    rc = seat(kazakhstan, "co-chairs", "UN RCO", role="co_chair")
    iom = seat(kazakhstan, "co-chairs", "IOM", role="co_chair")
    statement = draft(kazakhstan, texts={"ru": {"title": "", "text": "Текст."}}, language="ru")
    round = services.put_to_clearance(by=None, statement=statement)
    services.close_round(by=None, round=round, now=round.deadline)
    statement.refresh_from_db()
    assert [o.acronym for o in permissions.signing_for(rc, statement)] == ["UN RCO"]
    services.sign_off(by=rc, statement=statement, organisation=org("UN RCO"))
    statement.refresh_from_db()
    assert statement.status == Statement.Status.CLEARED  # one co-chair is not enough
    with pytest.raises(ValidationError, match="already signed"):
        services.sign_off(by=rc, statement=statement, organisation=org("UN RCO"))
    with pytest.raises(ValidationError, match="does not sign off"):
        services.sign_off(by=rc, statement=statement, organisation=org("UNICEF"))
    services.sign_off(by=iom, statement=statement, organisation=org("IOM"))
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ISSUED and statement.is_locked and statement.signed_by_network
    assert services.signatory_line(statement, "ru") == kazakhstan.localised("name", "ru")
    assert services.signatory_line(statement, "en") == kazakhstan.localised("name", "en")
    assert services.issued_version(statement).number == 1
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.revise_statement(
            by=None, statement=statement, texts={"ru": {"text": "Иначе."}}, authoritative_language="ru"
        )


def test_kenya_the_executive_committee_clears_unless_it_speaks_for_the_whole_network(kenya):
    executive = {
        m.organisation.acronym for m in kenya.bodies.get(slug="executive-committee").memberships.all()
    }
    round = services.put_to_clearance(by=None, statement=draft(kenya))
    assert set(seats(round)) == executive and round.body.slug == "executive-committee"
    wide = services.put_to_clearance(by=None, statement=draft(kenya, network_wide=True))
    assert wide.body.kind == "plenary" and len(seats(wide)) > len(executive)


def test_an_objection_leaves_no_consensus_and_the_undersigned_may_speak_without_the_dissociated(kenya, seat):
    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator")
    statement = draft(kenya)
    round = services.put_to_clearance(by=None, statement=statement, procedure=Round.Procedure.EXPLICIT)
    with pytest.raises(ValidationError, match="reason"):
        answer(round, "UNHCR", Answer.OBJECTS)
    answer(round, "UNHCR", Answer.OBJECTS, "Outside our mandate as worded.")
    answer(round, "OHCHR", Answer.DISSOCIATES, "In respect of its mandate.")
    for acronym in set(seats(round)) - {"UNHCR", "OHCHR"}:
        answer(round, acronym, Answer.CLEARED)
    round.refresh_from_db()
    statement.refresh_from_db()
    # Every seat answered: the round closed at once, without consensus.
    assert round.outcome == Round.Outcome.NO_CONSENSUS and statement.status == Statement.Status.NO_CONSENSUS
    with pytest.raises(ValidationError, match="cleared statement"):
        services.sign_off(by=coordinator, statement=statement, organisation=org("IOM"))
    services.speak_for_undersigned(by=None, statement=statement)
    services.sign_off(by=coordinator, statement=statement, organisation=org("IOM"))
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ISSUED and not statement.signed_by_network
    line = services.signatory_line(statement, "en")
    assert "International Organization for Migration" in line or "IOM" in line
    named = {o.acronym for o in statement.signatories.all()}
    assert named == set(seats(round)) - {"UNHCR", "OHCHR"}  # neither the objector nor the dissociated
    assert kenya.localised("name", "en") not in line


def test_a_dissociation_alone_means_the_agencies_sign_not_the_network(kenya, seat):
    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator")
    statement = draft(kenya)
    round = services.put_to_clearance(by=None, statement=statement)
    answer(round, "OHCHR", Answer.DISSOCIATES, "In respect of its mandate.")
    services.close_round(by=None, round=round, now=round.deadline)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.CLEARED
    services.sign_off(by=coordinator, statement=statement, organisation=org("IOM"))
    statement.refresh_from_db()
    assert not statement.signed_by_network and "OHCHR" not in {o.acronym for o in statement.signatories.all()}


def test_explicit_clearance_without_every_answer_by_the_deadline_is_not_cleared(kenya):
    statement = draft(kenya)
    round = services.put_to_clearance(by=None, statement=statement, procedure=Round.Procedure.EXPLICIT)
    answer(round, "ILO", Answer.CLEARED)
    services.close_due_rounds(round.deadline)
    round.refresh_from_db()
    assert round.outcome == Round.Outcome.NO_CONSENSUS
    assert seats(round)["UNHCR"].answer == Answer.NO_ANSWER and seats(round)["ILO"].answer == Answer.CLEARED


def test_a_new_version_voids_the_clearances_unless_it_is_editorial_and_everyone_is_told(kenya, seat):
    seat(kenya, "executive-committee", "ILO")
    statement = draft(kenya)
    round = services.put_to_clearance(by=None, statement=statement)
    answer(round, "ILO", Answer.CLEARED)
    told = OutboundEmail.objects.count()
    v2 = services.revise_statement(
        by=None,
        statement=statement,
        texts={"en": {"text": "First paragraph.\n\nSecond paragraph, corrected typo."}},
        authoritative_language="en",
        editorial=True,
        note="Typo",
    )
    round.refresh_from_db()
    assert round.is_open and round.version == v2 and seats(round)["ILO"].answer == Answer.CLEARED
    assert OutboundEmail.objects.count() > told
    told = OutboundEmail.objects.count()
    v3 = services.revise_statement(
        by=None, statement=statement, texts={"en": {"text": "A different text."}}, authoritative_language="en"
    )
    round.refresh_from_db()
    statement.refresh_from_db()
    assert round.outcome == Round.Outcome.VOIDED and statement.status == Statement.Status.DRAFT
    assert OutboundEmail.objects.count() > told and v3.number == 3
    again = services.put_to_clearance(by=None, statement=statement)
    assert again.version == v3 and all(c.answer == Answer.PENDING for c in again.clearances.all())
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.revise_statement(
            by=None,
            statement=statement,
            texts={"en": {"text": "A different text."}},
            authoritative_language="en",
        )


def test_versions_are_immutable_and_texts_are_checked(kenya):
    with pytest.raises(ValidationError, match="no text"):
        draft(kenya, texts={"en": {"title": "x", "text": "  "}})
    with pytest.raises(ValidationError, match="not a language"):
        draft(kenya, texts={"xx": {"text": "a"}}, language="xx")
    with pytest.raises(ValidationError, match="authoritative"):
        services.draft_statement(
            by=None,
            network=kenya,
            body=kenya.bodies.get(kind="plenary"),
            title="t",
            texts={"en": {"text": "a"}},
            authoritative_language="fr",
        )
    statement = draft(kenya)
    version = statement.versions.get()
    version.note = "changed"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        statement.versions.update(note="x")
    assert version.paragraphs("en") == ["First paragraph.", "Second paragraph."]


def test_a_deadline_must_leave_time_to_answer_and_a_round_runs_one_at_a_time(kenya):
    statement = draft(kenya)
    with pytest.raises(ValidationError, match="at least an hour"):
        services.put_to_clearance(
            by=None, statement=statement, deadline=timezone.now() + datetime.timedelta(minutes=5)
        )
    services.put_to_clearance(by=None, statement=statement)
    with pytest.raises(ValidationError):
        services.put_to_clearance(by=None, statement=statement)


def test_paragraph_comments_name_an_existing_paragraph(kenya, kenya_member):
    version = draft(kenya).versions.get()
    comment = services.comment_on_paragraph(
        by=kenya_member, version=version, language="en", paragraph=1, text="Shorter?"
    )
    assert comment.paragraph == 1
    with pytest.raises(ValidationError, match="No such paragraph"):
        services.comment_on_paragraph(by=kenya_member, version=version, language="en", paragraph=2, text="x")
    with pytest.raises(ValidationError, match="no text in that language"):
        services.comment_on_paragraph(by=kenya_member, version=version, language="fr", paragraph=0, text="x")


def test_seats_that_have_not_answered_are_reminded_once_a_day_before_the_deadline(kenya, seat):
    seat(kenya, "executive-committee", "ILO")
    seat(kenya, "executive-committee", "UNHCR")
    statement = draft(kenya)
    round = services.put_to_clearance(by=None, statement=statement)
    answer(round, "ILO", Answer.CLEARED)
    early = round.deadline - datetime.timedelta(hours=30)
    assert reminders.remind_clearances(early) == 0
    soon = round.deadline - datetime.timedelta(hours=20)
    assert reminders.remind_clearances(soon) == 1
    assert reminders.remind_clearances(soon) == 0  # once
    [reminder] = OutboundEmail.objects.filter(topic="reminder")
    assert reminder.to[0].startswith("unhcr-") and "deemed to have cleared" in reminder.body


def test_the_task_scheduled_at_the_deadline_closes_the_round(kenya):
    round = services.put_to_clearance(by=None, statement=draft(kenya))
    assert services.close_round_task.call(round.pk) is False  # not yet due
    Round.objects.filter(pk=round.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    assert services.close_round_task.call(round.pk) is True
    assert Round.objects.get(pk=round.pk).outcome == Round.Outcome.CLEARED


def test_a_delivery_is_recorded_after_issue_and_the_briefings_rule_reads_it(kenya, seat):
    from convene.networks import monitoring
    from convene.networks.models import Rule
    from convene.networks.queries import load_structure

    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator")
    statement = draft(kenya)
    round = services.put_to_clearance(by=None, statement=statement)
    with pytest.raises(ValidationError, match="issued"):
        services.record_delivery(
            by=None,
            statement=statement,
            delivered_on=kenya.today(),
            organisation=org("IOM"),
            occasion="x",
            recipients="y",
        )
    services.close_round(by=None, round=round, now=round.deadline)
    statement.refresh_from_db()
    services.sign_off(by=coordinator, statement=statement, organisation=org("IOM"))
    statement.refresh_from_db()

    def briefings():
        rules = kenya.rules.filter(kind=Rule.Kind.BRIEFINGS)
        [result] = monitoring.evaluate(rules, load_structure(kenya))
        return result.status, result.detail

    assert briefings()[0] == "due"
    with pytest.raises(ValidationError, match="taken place"):
        services.record_delivery(
            by=None,
            statement=statement,
            delivered_on=kenya.today() + datetime.timedelta(days=1),
            organisation=org("IOM"),
            occasion="National Coordination Mechanism",
            recipients="NCM members",
        )
    delivery = services.record_delivery(
        by=None,
        statement=statement,
        delivered_on=kenya.today(),
        organisation=org("IOM"),
        occasion="National Coordination Mechanism",
        recipients="NCM members",
    )
    action = services.add_follow_up(
        by=None,
        delivery=delivery,
        title="Share the data the Ministry asked for",
        owner_organisation=org("IOM"),
        due_date=kenya.today() + datetime.timedelta(days=14),
    )
    assert (
        list(delivery.action_items.all()) == [action]
        and "National Coordination Mechanism" in action.description
    )
    status, detail = briefings()
    with translation.override("en"):
        assert status == "met" and "Last delivered on" in detail


def test_kenya_tables_a_standing_objection_to_the_unct_and_speaks_for_the_network_once_it_adopts(kenya, seat):
    from convene.decisions import services as decisions

    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator")
    statement = draft(kenya)
    round = services.put_to_clearance(by=None, statement=statement)
    answer(round, "UNHCR", Answer.OBJECTS, "Not in our mandate as worded.")
    services.close_round(by=None, round=round, now=round.deadline)
    statement.refresh_from_db()
    with pytest.raises(ValidationError, match="Only a tabled statement"):
        services.speak_after_unct(by=None, statement=statement)
    told = OutboundEmail.objects.filter(topic="proposal").count()
    proposal = services.table_statement(by=None, statement=statement)
    assert proposal.status == "escalated" and statement.tabled == proposal
    assert OutboundEmail.objects.filter(topic="proposal").count() == told  # positions were not asked again
    assert proposal.positions.get(organisation__acronym="UNHCR").stance == "object"
    assert proposal.positions.get(organisation__acronym="ILO").stance == "agree"  # silence
    with pytest.raises(ValidationError, match="already tabled"):
        services.table_statement(by=None, statement=statement)
    with pytest.raises(ValidationError, match="has not adopted"):
        services.speak_after_unct(by=None, statement=statement)
    decisions.record_unct_decision(
        by=None,
        escalation=proposal.escalations.get(),
        adopted=True,
        decided_on=kenya.today(),
        unct_decision="Issue it.",
    )
    services.speak_after_unct(by=None, statement=statement)
    services.sign_off(by=coordinator, statement=statement, organisation=org("IOM"))
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ISSUED and statement.signed_by_network


def test_kazakhstan_has_nowhere_to_table_a_statement(kazakhstan):
    statement = draft(kazakhstan, texts={"ru": {"text": "Текст."}}, language="ru")
    round = services.put_to_clearance(by=None, statement=statement)
    answer(round, "UNHCR", Answer.OBJECTS, "Нет.")
    services.close_round(by=None, round=round, now=round.deadline)
    statement.refresh_from_db()
    with pytest.raises(ValidationError, match="sends no matter on"):
        services.table_statement(by=None, statement=statement)


def test_the_secretariat_does_not_sign_off_for_the_coordinator(kenya, seat):
    secretariat = seat(kenya, "secretariat", "IOM", role="secretariat")
    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator")
    statement = draft(kenya)
    round = services.put_to_clearance(by=None, statement=statement)
    services.close_round(by=None, round=round, now=round.deadline)
    statement.refresh_from_db()
    assert permissions.signing_for(secretariat, statement) == []
    assert [o.acronym for o in permissions.signing_for(coordinator, statement)] == ["IOM"]
