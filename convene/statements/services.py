"""Statements: drafted in versions, cleared seat by seat (explicitly or by silence), signed off and
issued with a signatory line from the seats that cleared, and delivered. Every change is audited;
every step tells those it concerns, each in their language."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from convene.core.audit import diff, record_change, save_changes, snapshot
from convene.core.dates import show_date, show_datetime
from convene.core.mail import Content, Message, Recipient, queue_message
from convene.core.models import ChangeLog
from convene.decisions import services as decisions
from convene.decisions.models import Consultation, Decision, Position, Proposal
from convene.decisions.rules import state_consultation_rule
from convene.decisions.services import representatives_of
from convene.meetings.reminders import secretariat_emails
from convene.networks.models import Body, Network, Organisation
from convene.workplans.models import GcmObjective

from . import rules
from .models import Clearance, Comment, Delivery, Round, SignOff, Statement, Version

CREATE, UPDATE = ChangeLog.Action.CREATE, ChangeLog.Action.UPDATE
Answer, Status = Clearance.Answer, Statement.Status


def statement_url(statement: Statement) -> str:
    return settings.CONVENE_BASE_URL + reverse(
        "statements:statement", args=[statement.network.slug, statement.pk]
    )


# Drafting --------------------------------------------------------------------------------------


def _clean_texts(texts: dict, authoritative_language: str) -> dict:
    """{language: {"title", "text"}} in shipped languages, each with a text; the authoritative one
    among them."""
    shipped = dict(settings.LANGUAGES)
    if not isinstance(texts, dict) or not texts:
        raise ValidationError({"texts": _("Write the text in at least one language.")})
    cleaned = {}
    for language, version in texts.items():
        if language not in shipped:
            raise ValidationError(
                {"texts": _("“%(code)s” is not a language Convene ships.") % {"code": language}}
            )
        if not isinstance(version, dict):
            raise ValidationError({"texts": _("Each language needs a title and a text.")})
        title, text = str(version.get("title") or "").strip(), str(version.get("text") or "").strip()
        if not text:
            raise ValidationError(
                {"texts": _("The %(language)s version has no text.") % {"language": shipped[language]}}
            )
        cleaned[language] = {"title": title[:300], "text": text.replace("\r\n", "\n")}
    if authoritative_language not in cleaned:
        raise ValidationError(
            {
                "authoritative_language": _(
                    "The authoritative language must be one the statement is written in."
                )
            }
        )
    return cleaned


def _check_links(network: Network, *, body: Body, decision: Decision | None, gcm_objectives) -> None:
    if body.network_id != network.pk or body.kind not in (Body.Kind.PLENARY, Body.Kind.WORKING_GROUP):
        raise ValidationError(
            {"body": _("A statement is made in the name of the network or of one of its working groups.")}
        )
    if decision is not None and decision.network_id != network.pk:
        raise ValidationError({"decision": _("No such decision in this network.")})


@transaction.atomic
def draft_statement(
    *,
    by,
    network: Network,
    body: Body,
    title: str,
    texts: dict,
    authoritative_language: str,
    kind: str = Statement.Kind.JOINT_STATEMENT,
    audience: str = Statement.Audience.INTERNAL,
    occasion: str = "",
    occasion_date: datetime.date | None = None,
    decision: Decision | None = None,
    gcm_objectives=(),
    network_wide: bool = False,
    concerns_state: bool | None = None,
) -> Statement:
    """A new statement and its first version. Where the charter makes consulting a ministry on
    matters of the state mandatory, whether it is one may be said now, and must be before clearance."""
    _check_links(network, body=body, decision=decision, gcm_objectives=gcm_objectives)
    cleaned = _clean_texts(texts, authoritative_language)
    statement = Statement(
        network=network,
        body=body,
        title=title.strip(),
        kind=kind,
        audience=audience,
        occasion=occasion.strip(),
        occasion_date=occasion_date,
        decision=decision,
        network_wide=network_wide
        and rules.may_choose_network_wide(network)
        and body.kind == Body.Kind.PLENARY,
        concerns_state=concerns_state if state_consultation_rule(network) else None,
        drafted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    statement.full_clean()
    statement.save()
    statement.gcm_objectives.set(
        GcmObjective.objects.filter(pk__in=[getattr(o, "pk", o) for o in gcm_objectives])
    )
    record_change(actor=by, obj=statement, action=CREATE, network_id=network.pk)
    _add_version(statement, by=by, texts=cleaned, authoritative_language=authoritative_language)
    return statement


@transaction.atomic
def update_statement(*, by, statement: Statement, **fields) -> Statement:
    """The particulars (title, occasion, audience, kind, links); the text changes by new versions."""
    if statement.is_locked:
        raise ValidationError(_("An issued or withdrawn statement cannot be changed."))
    allowed = {"title", "kind", "audience", "occasion", "occasion_date", "decision", "concerns_state"}
    unknown = set(fields) - allowed - {"gcm_objectives"}
    if unknown:
        raise ValidationError(_("These cannot be changed here: %s") % ", ".join(sorted(unknown)))
    objectives = fields.pop("gcm_objectives", None)
    if "decision" in fields:
        _check_links(statement.network, body=statement.body, decision=fields["decision"], gcm_objectives=())
    if "concerns_state" in fields:
        state_rule = state_consultation_rule(statement.network)
        if state_rule is None:
            fields.pop("concerns_state")
        elif not fields["concerns_state"] and statement.consultations.exists():
            # Once the ministry has the text, the matter stays one of concern to the state.
            message = _("A matter on which %(org)s is consulted concerns the state.")
            raise ValidationError({"concerns_state": message % {"org": state_rule.organisation.tr.name}})
    for name in ("title", "occasion"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    before = snapshot(statement, list(fields))
    for name, value in fields.items():
        setattr(statement, name, value)
    statement.full_clean()
    statement.save()
    changes = diff(before, snapshot(statement, list(fields)))
    if objectives is not None:
        objectives = list(GcmObjective.objects.filter(pk__in=[getattr(o, "pk", o) for o in objectives]))
        earlier = sorted(statement.gcm_objectives.values_list("number", flat=True))
        statement.gcm_objectives.set(objectives)
        if earlier != (now := sorted(o.number for o in objectives)):
            changes["gcm_objectives"] = [earlier, now]
    record_change(actor=by, obj=statement, action=UPDATE, network_id=statement.network_id, changes=changes)
    if statement.concerns_state and statement.status in (Status.CLEARANCE, Status.CLEARED):
        _consult_the_state(statement, last_round(statement).version, by=by)
    return statement


def _add_version(
    statement: Statement, *, by, texts: dict, authoritative_language: str, editorial=False, note=""
):
    last = statement.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = Version.objects.create(
        statement=statement,
        number=last + 1,
        texts=texts,
        authoritative_language=authoritative_language,
        editorial=editorial,
        note=note.strip()[:500],
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_change(
        actor=by,
        obj=version,
        action=CREATE,
        network_id=statement.network_id,
        changes={"version": [None, version.number], "editorial": [None, editorial]},
    )
    return version


def latest_version(statement: Statement) -> Version:
    return statement.versions.order_by("-number").first()


def open_round(statement: Statement) -> Round | None:
    return statement.rounds.filter(outcome=Round.Outcome.OPEN).select_related("version", "body").first()


def last_round(statement: Statement) -> Round | None:
    return statement.rounds.exclude(outcome=Round.Outcome.VOIDED).select_related("version", "body").first()


@transaction.atomic
def revise_statement(
    *,
    by,
    statement: Statement,
    texts: dict,
    authoritative_language: str,
    editorial: bool = False,
    note: str = "",
) -> Version:
    """A new immutable version. It voids the clearances given so far (the statement goes back to
    draft) unless the drafter marks it editorial, when they carry over to it; the seats are told
    either way."""
    if statement.is_locked:
        raise ValidationError(_("An issued or withdrawn statement cannot be changed."))
    cleaned = _clean_texts(texts, authoritative_language)
    previous = latest_version(statement)
    if previous and cleaned == previous.texts and authoritative_language == previous.authoritative_language:
        raise ValidationError(
            {"texts": _("Nothing changed: this is the text of version %(v)d.") % {"v": previous.number}}
        )
    Statement.objects.select_for_update().filter(pk=statement.pk).first()
    version = _add_version(
        statement,
        by=by,
        texts=cleaned,
        authoritative_language=authoritative_language,
        editorial=editorial,
        note=note,
    )
    current = open_round(statement) or (last_round(statement) if statement.status == Status.CLEARED else None)
    if current is None:
        if statement.status == Status.NO_CONSENSUS:
            _set_status(statement, by=by, status=Status.DRAFT, voice=Statement.Voice.NETWORK)
        return version
    if editorial:
        Round.objects.filter(pk=current.pk).update(version=version)
        _consult_the_state(statement, version, by=by)
    else:
        Round.objects.filter(pk=current.pk).update(outcome=Round.Outcome.VOIDED, closed_at=timezone.now())
        _set_status(statement, by=by, status=Status.DRAFT, voice=Statement.Voice.NETWORK)
    _notify_revision(statement, current, version)
    return version


def _set_status(statement: Statement, *, by, status: str, **extra) -> None:
    save_changes(statement, by=by, network_id=statement.network_id, fields={"status": status, **extra})


def _seat_recipients(round: Round, organisation_ids=None) -> list[Recipient]:
    ids = (
        organisation_ids
        if organisation_ids is not None
        else [c.organisation_id for c in round.clearances.all()]
    )
    return representatives_of(round.body, ids)


def _notify_revision(statement: Statement, round: Round, version: Version) -> None:
    def compose() -> Content:
        if version.editorial:
            consequence = _("It is marked editorial: the clearances already given still count.")
        else:
            consequence = _(
                "The clearances given on the earlier version no longer count; it will be put to you again."
            )
        return Content(
            subject=_("New version of “%(t)s”") % {"t": statement.title},
            text=_(
                "Version %(v)d of “%(t)s” replaces the text you were asked to clear. %(c)s\n"
                "%(note)s\n\n%(url)s\n"
            )
            % {
                "v": version.number,
                "t": statement.title,
                "c": consequence,
                "note": version.note,
                "url": statement_url(statement),
            },
        )

    queue_message(
        Message(
            topic="statement", network=statement.network, recipients=_seat_recipients(round), compose=compose
        )
    )


# Clearance -------------------------------------------------------------------------------------


@transaction.atomic
def put_to_clearance(
    *,
    by,
    statement: Statement,
    procedure: str = Round.Procedure.SILENCE,
    deadline: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> Round:
    """Put the latest version to every agency seat of the clearing body until the deadline (by
    default the charter's silence period, 72 hours)."""
    now = now or timezone.now()
    if statement.status not in (Status.DRAFT, Status.NO_CONSENSUS):
        raise ValidationError(
            _("Only a draft, or a statement revised after an objection, is put to clearance.")
        )
    if open_round(statement) is not None:
        raise ValidationError(_("This statement is already in clearance."))
    state_rule = state_consultation_rule(statement.network)
    if state_rule is not None and statement.concerns_state is None:
        raise ValidationError(
            {
                "concerns_state": _(
                    "Say whether this concerns the state: the charter requires consulting %(org)s "
                    "on all issues of concern to the state."
                )
                % {"org": state_rule.organisation.tr.name}
            }
        )
    body = rules.clearing_body(statement)
    seats = rules.clearing_seats(body)
    if not seats:
        raise ValidationError(_("%(body)s has no member to clear the statement.") % {"body": body})
    round = open_clearance(
        by=by,
        network=statement.network,
        body=body,
        seats=seats,
        procedure=procedure,
        deadline=deadline,
        now=now,
        statement=statement,
        version=latest_version(statement),
    )
    _set_status(statement, by=by, status=Status.CLEARANCE, voice=Statement.Voice.NETWORK)
    _notify_round(statement, round)
    _consult_the_state(statement, round.version, by=by)
    return round


def _consult_the_state(statement: Statement, version: Version, *, by) -> None:
    """A statement of concern to the state goes to the ministry the charter names as it goes to the
    seats: on its first circulation, and again after a substantive change once the ministry has
    answered; a consultation still pending follows the text (an editorial change included)."""
    rule = state_consultation_rule(statement.network) if statement.concerns_state else None
    if rule is None:
        return
    subject = {
        "title": statement.title,
        "kind": "statement",
        "version": version.number,
        "authoritative_language": version.authoritative_language,
        "texts": version.texts,
    }
    latest = statement.consultations.exclude(status=Consultation.Status.WITHDRAWN).order_by("-pk").first()
    if latest is not None and latest.status == Consultation.Status.PENDING:
        if latest.subject.get("version") != version.number:
            decisions.update_consulted_text(by=by, consultation=latest, subject=subject)
        return
    if latest is not None:
        answered_on = latest.subject.get("version", 0)
        changed = statement.versions.filter(
            number__gt=answered_on, number__lte=version.number, editorial=False
        ).exists()
        if not changed:  # answered on this wording, or on one changed only editorially since
            return
    consultation = decisions.consult_on_text(by=by, network=statement.network, rule=rule, subject=subject)
    statement.consultations.add(consultation)


def state_consultation_pending(statement: Statement) -> Consultation | None:
    """The ministry's answer still awaited on a statement of concern to the state."""
    return (
        statement.consultations.filter(status=Consultation.Status.PENDING, required=True)
        .select_related("organisation")
        .first()
    )


def open_clearance(
    *,
    by,
    network,
    body,
    seats: list,
    procedure: str,
    deadline: datetime.datetime | None,
    now: datetime.datetime,
    **subject,
) -> Round:
    """The engine's one way to open a round (for a statement's version or a release): one answer
    per seat (memberships of `body`) until the deadline (by default the charter's silence period),
    closed by a task scheduled at the deadline. The caller holds the transaction and checks its own
    subject."""
    if procedure not in Round.Procedure.values:
        raise ValidationError({"procedure": _("Choose explicit clearance or the silence procedure.")})
    deadline = deadline or now + datetime.timedelta(hours=rules.silence_hours(network))
    if deadline <= now + datetime.timedelta(hours=1):
        raise ValidationError({"deadline": _("Give the members at least an hour to answer.")})
    round = Round.objects.create(
        body=body,
        procedure=procedure,
        deadline=deadline,
        opened_by=by if getattr(by, "is_authenticated", False) else None,
        **subject,
    )
    Clearance.objects.bulk_create(Clearance(round=round, organisation_id=m.organisation_id) for m in seats)
    changes = {"procedure": [None, procedure], "deadline": [None, deadline.isoformat()]}
    if version := subject.get("version"):
        changes["version"] = [None, version.number]
    record_change(actor=by, obj=round, action=CREATE, network_id=network.pk, changes=changes)
    transaction.on_commit(lambda: close_round_task.using(run_after=deadline).enqueue(round.pk))
    return round


def _notify_round(statement: Statement, round: Round) -> None:
    def compose() -> Content:
        when = show_datetime(statement.network.localtime(round.deadline), weekday=True)
        if round.procedure == Round.Procedure.SILENCE:
            ask = _(
                "Silence procedure: unless your organisation objects by %(when)s, it is deemed to have "
                "cleared."
            ) % {"when": when}
        else:
            ask = _("Your organisation's clearance is awaited by %(when)s.") % {"when": when}
        version = round.version
        return Content(
            subject=_("For clearance by %(when)s: %(t)s") % {"when": when, "t": statement.title},
            text=_(
                "%(body)s is asked to clear “%(t)s” (version %(v)d).\n%(ask)s\n"
                "Answer for your organisation: cleared, cleared with comments, objects (with a reason) "
                "or dissociates (in respect of its mandate).\n\n%(text)s\n\n%(url)s\n"
            )
            % {
                "body": round.body,
                "t": statement.title,
                "v": version.number,
                "ask": ask,
                "text": version.text_in(version.authoritative_language)["text"],
                "url": statement_url(statement),
            },
        )

    queue_message(
        Message(
            topic="statement", network=statement.network, recipients=_seat_recipients(round), compose=compose
        )
    )


@transaction.atomic
def answer_clearance(
    *,
    by,
    round: Round,
    organisation: Organisation,
    answer: str,
    comment: str = "",
    channel: str = Clearance.Channel.DIRECT,
    now: datetime.datetime | None = None,
) -> Clearance:
    """One seat's answer, which it may change until the round closes. An objection needs its
    reason (it breaks silence); comments need the comments."""
    now = now or timezone.now()
    round = (
        Round.objects.select_for_update(of=("self",))
        .select_related("statement", "version", "release")
        .get(pk=round.pk)
    )
    if not round.is_open or round.deadline <= now:
        raise ValidationError(_("This clearance round is closed."))
    if answer not in Clearance.GIVEN:
        raise ValidationError({"answer": _("Answer cleared, cleared with comments, objects or dissociates.")})
    if channel not in Clearance.Channel.values:
        raise ValidationError({"channel": _("Say how the answer was given.")})
    comment = comment.strip()
    if answer == Answer.OBJECTS and not comment:
        raise ValidationError({"comment": _("An objection needs its reason.")})
    if answer == Answer.COMMENTS and not comment:
        raise ValidationError({"comment": _("Write the comments.")})
    seat = round.clearances.filter(organisation=organisation).first()
    if seat is None:
        raise ValidationError(_("%(org)s has no seat in this clearance.") % {"org": organisation})
    save_changes(
        seat,
        by=by,
        network_id=round.subject.network_id,
        fields={
            "answer": answer,
            "comment": comment,
            "channel": channel,
            "version": round.version,
            "answered_by": by if getattr(by, "is_authenticated", False) else None,
            "answered_at": now,
        },
    )
    if not round.clearances.filter(answer=Answer.PENDING).exists():
        close_round(by=by, round=round, now=now)
    return seat


@transaction.atomic
def close_round(*, by, round: Round, now: datetime.datetime | None = None) -> Round:
    """Close the round: a seat that has not answered is deemed to have cleared under the silence
    procedure, or recorded as not answering under explicit clearance. A standing objection, or an
    explicit round some seat did not answer, leaves the statement without consensus."""
    now = now or timezone.now()
    round = (
        Round.objects.select_for_update(of=("self",))
        .select_related("statement", "version", "release", "body")
        .get(pk=round.pk)
    )
    if not round.is_open:
        raise ValidationError(_("This clearance round is closed."))
    silence = round.procedure == Round.Procedure.SILENCE
    round.clearances.filter(answer=Answer.PENDING).update(
        answer=Answer.SILENCE if silence else Answer.NO_ANSWER, answered_at=now, version=round.version
    )
    answers = set(round.clearances.values_list("answer", flat=True))
    cleared = not answers & {Answer.OBJECTS, Answer.NO_ANSWER}
    outcome = Round.Outcome.CLEARED if cleared else Round.Outcome.NO_CONSENSUS
    Round.objects.filter(pk=round.pk).update(outcome=outcome, closed_at=now)
    round.outcome, round.closed_at = outcome, now
    record_change(
        actor=by,
        obj=round,
        action=UPDATE,
        network_id=round.subject.network_id,
        changes={"outcome": ["", outcome]},
    )
    if round.release_id:
        from . import releases  # the release engine builds on these services

        releases.conclude(round, by=by, cleared=cleared, now=now)
        return round
    _set_status(round.statement, by=by, status=Status.CLEARED if cleared else Status.NO_CONSENSUS)
    _notify_outcome(round.statement, round)
    return round


def close_due_rounds(now: datetime.datetime | None = None) -> int:
    """Every open round whose deadline has passed (the worker's safety net beside the task that
    each round schedules at its deadline)."""
    now = now or timezone.now()
    closed = 0
    for round in Round.objects.filter(outcome=Round.Outcome.OPEN, deadline__lte=now):
        close_round(by=None, round=round, now=now)
        closed += 1
    return closed


@task()
def close_round_task(round_id: int) -> bool:
    """Run at the round's deadline: close it if it is still open (an answer may have closed it, a
    new version voided it, or the deadline moved)."""
    round = Round.objects.filter(
        pk=round_id, outcome=Round.Outcome.OPEN, deadline__lte=timezone.now()
    ).first()
    if round is None:
        return False
    close_round(by=None, round=round)
    return True


def _notify_outcome(statement: Statement, round: Round) -> None:
    """The drafter and the Secretariat learn the outcome; when cleared, those who sign off too."""
    recipients = [Recipient(address) for address in secretariat_emails(statement.network)]
    for m in rules.signing_seats(statement):
        recipients += representatives_of(m.body, [m.organisation_id])
    if statement.drafted_by and statement.drafted_by.email:
        recipients.append(Recipient(statement.drafted_by.email, statement.drafted_by.full_name))

    def compose() -> Content:
        if round.outcome == Round.Outcome.CLEARED:
            text = _("“%(t)s” (version %(v)d) is cleared: it awaits sign-off.")
        else:
            text = _(
                "“%(t)s” (version %(v)d) is not cleared: it cannot be issued in the name of the network. "
                "It may be revised and put to clearance again, or issued in the name of the agencies that "
                "cleared."
            )
        return Content(
            subject=_("Clearance closed: %(t)s") % {"t": statement.title},
            text=(text % {"t": statement.title, "v": round.version.number})
            + "\n\n"
            + summary_text(round)
            + f"\n\n{statement_url(statement)}\n",
        )

    queue_message(
        Message(topic="statement", network=statement.network, recipients=recipients, compose=compose)
    )


def summary_text(round: Round) -> str:
    """One line per seat: its answer, and the reason of an objection (for the record and e-mails)."""
    lines = []
    for c in round.clearances.select_related("organisation"):
        line = f"{c.organisation}: {c.get_answer_display()}"
        if c.answer == Answer.OBJECTS and c.comment:
            line += f" — {c.comment}"
        lines.append(line)
    return "\n".join(lines)


def tally(round: Round) -> dict[str, int]:
    counts = {value: 0 for value in Answer.values}
    for c in round.clearances.all():
        counts[c.answer] += 1
    return counts


@transaction.atomic
def speak_for_undersigned(*, by, statement: Statement) -> Statement:
    """Without consensus, the drafter may issue the statement in the name of the agencies that
    cleared it only: it goes to sign-off with their names as the signatory line."""
    if statement.status != Status.NO_CONSENSUS:
        raise ValidationError(
            _("Only a statement without consensus is issued in the name of the undersigned.")
        )
    round = last_round(statement)
    if round is None or not any(c.joins for c in round.clearances.all()):
        raise ValidationError(_("No agency cleared it: there is nobody to sign."))
    _set_status(statement, by=by, status=Status.CLEARED, voice=Statement.Voice.UNDERSIGNED)
    return statement


POSITION_OF = {
    Answer.CLEARED: Position.Stance.AGREE,
    Answer.COMMENTS: Position.Stance.AGREE,
    Answer.SILENCE: Position.Stance.AGREE,
    Answer.DISSOCIATES: Position.Stance.STAND_ASIDE,
    Answer.OBJECTS: Position.Stance.OBJECT,
}


@transaction.atomic
def table_statement(*, by, statement: Statement) -> Proposal:
    """Without consensus, table the statement where the charter sends a matter on (Kenya: the UNCT),
    through the decisions' escalation: a proposal with each seat's answer as its position, closed at
    once, so the objection tables it. Once the UNCT adopts it, the statement may be issued in the
    name of the network."""
    if statement.status != Status.NO_CONSENSUS:
        raise ValidationError(_("Only a statement without consensus is tabled."))
    round = last_round(statement)
    if round is None or round.body.escalates_to_id is None:
        raise ValidationError(
            _("The charter sends no matter on from %(body)s.") % {"body": round.body if round else ""}
        )
    seats = list(round.clearances.select_related("organisation"))
    if not any(c.answer == Answer.OBJECTS for c in seats):
        raise ValidationError(_("Only a standing objection is tabled; put the statement to clearance again."))
    if statement.tabled_id and statement.tabled.status == Proposal.Status.ESCALATED:
        raise ValidationError(_("This statement is already tabled."))
    version = round.version
    proposal = decisions.propose(
        by=by,
        network=statement.network,
        body=round.body,
        title=_("Statement: %(t)s") % {"t": statement.title},
        text=version.text_in(version.authoritative_language)["text"],
        rationale=summary_text(round),
        ask_members=False,
    )
    for c in seats:
        if c.answer in POSITION_OF:
            decisions.record_position(
                by=by,
                proposal=proposal,
                organisation=c.organisation,
                stance=POSITION_OF[c.answer],
                reason=c.comment,
                channel=Position.Channel.OTHER,
            )
    decisions.close_proposal(by=by, proposal=proposal)
    save_changes(statement, by=by, network_id=statement.network_id, fields={"tabled": proposal})
    return proposal


@transaction.atomic
def speak_after_unct(*, by, statement: Statement) -> Statement:
    """The UNCT adopted the tabled statement: it goes to sign-off in the name of the network."""
    if statement.status != Status.NO_CONSENSUS or statement.tabled_id is None:
        raise ValidationError(_("Only a tabled statement follows the UNCT's decision."))
    decision = Decision.objects.filter(proposal_id=statement.tabled_id).first()
    if decision is None or decision.adopted_by != Decision.AdoptedBy.UNCT:
        raise ValidationError(_("The UNCT has not adopted it (yet)."))
    _set_status(statement, by=by, status=Status.CLEARED, voice=Statement.Voice.NETWORK)
    return statement


@transaction.atomic
def withdraw_statement(*, by, statement: Statement, reason: str) -> Statement:
    if statement.is_locked:
        raise ValidationError(_("An issued or withdrawn statement cannot be changed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it is withdrawn.")})
    round = open_round(statement)
    if round is not None:
        Round.objects.filter(pk=round.pk).update(outcome=Round.Outcome.VOIDED, closed_at=timezone.now())
    for consultation in statement.consultations.filter(status=Consultation.Status.PENDING):
        decisions.withdraw_consultation(by=by, consultation=consultation)
    _set_status(statement, by=by, status=Status.WITHDRAWN)
    record_change(
        actor=by,
        obj=statement,
        action=UPDATE,
        network_id=statement.network_id,
        changes={"reason": ["", reason.strip()]},
    )
    return statement


# Comments --------------------------------------------------------------------------------------


@transaction.atomic
def comment_on_paragraph(
    *,
    by,
    version: Version,
    language: str,
    paragraph: int,
    text: str,
    organisation: Organisation | None = None,
) -> Comment:
    if version.statement.is_locked:
        raise ValidationError(_("An issued or withdrawn statement takes no more comments."))
    if language not in version.texts:
        raise ValidationError({"language": _("This version has no text in that language.")})
    if not 0 <= paragraph < len(version.paragraphs(language)):
        raise ValidationError({"paragraph": _("No such paragraph in this version.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the comment.")})
    comment = Comment.objects.create(
        version=version,
        language=language,
        paragraph=paragraph,
        text=text.strip(),
        author=by,
        organisation=organisation,
    )
    record_change(actor=by, obj=comment, action=CREATE, network_id=version.statement.network_id)
    return comment


# Sign-off and issue ----------------------------------------------------------------------------


@transaction.atomic
def sign_off(
    *, by, statement: Statement, organisation: Organisation, now: datetime.datetime | None = None
) -> SignOff:
    """One of those the charter names signs off the cleared version; once all have, it is issued
    and locked, with its signatories."""
    statement = Statement.objects.select_for_update().select_related("network", "body").get(pk=statement.pk)
    if statement.status != Status.CLEARED:
        raise ValidationError(_("Only a cleared statement is signed off."))
    if pending := state_consultation_pending(statement):
        raise ValidationError(
            _(
                "%(org)s has not answered yet: a statement of concern to the state is signed off once "
                "its answer is recorded."
            )
            % {"org": pending.organisation.tr.name}
        )
    required = {m.organisation_id for m in rules.signing_seats(statement)}
    if organisation.pk not in required:
        raise ValidationError(_("%(org)s does not sign off this statement.") % {"org": organisation})
    version = last_round(statement).version
    if statement.sign_offs.filter(version=version, organisation=organisation).exists():
        raise ValidationError(_("%(org)s has already signed it off.") % {"org": organisation})
    signed = SignOff.objects.create(
        statement=statement, version=version, organisation=organisation, person=by
    )
    record_change(
        actor=by,
        obj=signed,
        action=CREATE,
        network_id=statement.network_id,
        changes={"version": [None, version.number]},
    )
    done = set(statement.sign_offs.filter(version=version).values_list("organisation_id", flat=True))
    if required <= done:
        _issue(statement, by=by, now=now or timezone.now())
    return signed


def _issue(statement: Statement, *, by, now: datetime.datetime) -> None:
    round = last_round(statement)
    seats = list(round.clearances.select_related("organisation"))
    joined = [c.organisation for c in seats if c.joins]
    everyone = len(joined) == len(seats)
    statement.signatories.set(joined)
    _set_status(
        statement,
        by=by,
        status=Status.ISSUED,
        issued_at=now,
        signed_by_network=statement.voice == Statement.Voice.NETWORK
        and (everyone or _unct_adopted(statement)),
    )
    if statement.audience == Statement.Audience.PUBLIC:
        from . import releases  # the release engine builds on these services

        releases.release_issued_statement(by=by, statement=statement, now=now)


def _unct_adopted(statement: Statement) -> bool:
    return (
        statement.tabled_id is not None
        and Decision.objects.filter(
            proposal_id=statement.tabled_id, adopted_by=Decision.AdoptedBy.UNCT
        ).exists()
    )


def issued_version(statement: Statement) -> Version | None:
    signed = statement.sign_offs.select_related("version").order_by("-signed_at").first()
    return signed.version if statement.status == Status.ISSUED and signed else None


def signatory_line(statement: Statement, language: str) -> str:
    """ "The Kenya UN Network on Migration" when every required seat cleared and it speaks for the
    network; otherwise the agencies that cleared, by name. Dissociations are never named."""
    if statement.signed_by_network:
        return statement.network.localised("name", language)
    names = [o.localised("name", language) for o in statement.signatories.all()]
    return ", ".join(sorted(names))


# Delivery --------------------------------------------------------------------------------------


@transaction.atomic
def record_delivery(
    *,
    by,
    statement: Statement,
    delivered_on: datetime.date,
    organisation: Organisation,
    occasion: str,
    recipients: str,
    speaker: str = "",
    note: str = "",
) -> Delivery:
    """Who delivered the issued statement, where, when and to whom."""
    if statement.status != Status.ISSUED:
        raise ValidationError(_("Only an issued statement is delivered."))
    if delivered_on > statement.network.today():
        raise ValidationError({"delivered_on": _("Record a delivery once it has taken place.")})
    issued_on = statement.network.today(statement.issued_at)
    if delivered_on < issued_on:
        raise ValidationError(
            {
                "delivered_on": _("It was issued on %(d)s: it cannot be delivered before.")
                % {"d": show_date(issued_on)}
            }
        )
    delivery = Delivery(
        statement=statement,
        delivered_on=delivered_on,
        organisation=organisation,
        speaker=speaker.strip(),
        occasion=occasion.strip(),
        recipients=recipients.strip(),
        note=note.strip(),
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    delivery.full_clean()
    delivery.save()
    record_change(actor=by, obj=delivery, action=CREATE, network_id=statement.network_id)
    return delivery


@transaction.atomic
def add_follow_up(
    *,
    by,
    delivery: Delivery,
    title: str,
    owner_organisation: Organisation,
    due_date: datetime.date,
    owner=None,
):
    """An action item that follows from a delivery (a request the Government made at the forum):
    tracked with the network's other actions, linked from the delivery."""
    statement = delivery.statement
    action = decisions.create_action_item(
        by=by,
        network=statement.network,
        title=title,
        owner_organisation=owner_organisation,
        owner=owner,
        due_date=due_date,
        description=_("Follow-up of “%(t)s”, delivered on %(d)s at %(w)s.")
        % {"t": statement.title, "d": show_date(delivery.delivered_on), "w": delivery.occasion},
    )
    delivery.action_items.add(action)
    return action
