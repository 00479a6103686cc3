"""Agreed release: the recorded agreement that makes an internal record public.

Any record an app registers here (a document, approved minutes, a decision, an issued statement;
reports register their issued versions from above) can be proposed for release. The agreement comes
from the seats that own it, through the same clearance engine as statements, or from a decision of
the network. Only released records reach the public page, and a release can be withdrawn."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.core.audit import record_change, save_changes
from convene.core.dates import show_datetime
from convene.core.files import read_stored
from convene.core.mail import Content, Message, queue_message
from convene.core.models import ChangeLog
from convene.core.release_status import ReleaseState
from convene.decisions.models import Decision
from convene.decisions.rules import deciding_body_for
from convene.decisions.services import representatives_of
from convene.library.models import Document
from convene.meetings.models import Minutes
from convene.networks.models import Body, Network

from . import permissions as perms
from . import rules, services
from .models import Release, Round, Statement

CREATE, UPDATE = ChangeLog.Action.CREATE, ChangeLog.Action.UPDATE


@dataclass(frozen=True)
class Releasable:
    """What the release engine needs to know of a kind of record."""

    label: str  # a gettext_lazy text: "Minutes"
    network: Callable[[models.Model], Network]
    owners: Callable[[models.Model], Body | None]  # whose members agree to release it
    title: Callable[[models.Model], str]
    refuse: Callable[[models.Model], str | None]  # why it cannot be released, or None
    # The records of a network that may be proposed (newest first), for the page that proposes one.
    candidates: Callable[[Network], models.QuerySet] | None = None
    # The public file in the reader's language (active): (content, file name, content type).
    public_file: Callable[[models.Model], tuple[bytes, str, str]] | None = None
    # The languages the public file is made in (one of them is served); None: the same file for all.
    languages: Callable[[models.Model], list[str]] | None = None


REGISTRY: dict[type, Releasable] = {}


def register(model: type, releasable: Releasable) -> None:
    REGISTRY[model] = releasable


def kind_key(model: type) -> str:
    """`app_label.model`: a kind of record as references and the API name it ("library.document")."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def releasable(record) -> Releasable:
    found = REGISTRY.get(type(record))
    if found is None:
        raise ValidationError(_("This kind of record cannot be released."))
    return found


def _network_decides(network: Network) -> Body | None:
    return deciding_body_for(network, "general")


def _document_file(document: Document):
    return read_stored(document.file), document.filename, document.content_type


def _minutes_file(minutes: Minutes):
    from convene.meetings import documents

    return (
        documents.pdf(documents.minutes_data(minutes)),
        documents.file_name(minutes.meeting, f"minutes-v{minutes.version}", "pdf"),
        "application/pdf",
    )


def _statement_file(statement: Statement):
    """The issued text as PDF, in the reader's language where the statement has it."""
    from . import documents

    version = services.issued_version(statement)
    language = translation.get_language()
    language = language if language in version.texts else version.authoritative_language
    data = documents.statement_data(statement, version, language)
    return documents.pdf(data), documents.file_name(statement, version, language, "pdf"), "application/pdf"


register(
    Document,
    Releasable(
        label=gettext_lazy("Document"),
        network=lambda d: d.network,
        owners=lambda d: d.body or _network_decides(d.network),
        title=lambda d: d.title,
        refuse=lambda d: None,
        candidates=lambda n: Document.objects.filter(network=n).order_by("-created_at"),
        public_file=_document_file,
    ),
)
register(
    Minutes,
    Releasable(
        label=gettext_lazy("Minutes"),
        network=lambda m: m.meeting.network,
        owners=lambda m: m.meeting.body,
        title=lambda m: m.meeting.title,
        refuse=lambda m: (
            None
            if m.status in (Minutes.Status.APPROVED, Minutes.Status.DISSEMINATED)
            else _("Only approved minutes are released.")
        ),
        candidates=lambda n: (
            Minutes.objects.filter(
                meeting__network=n, status__in=[Minutes.Status.APPROVED, Minutes.Status.DISSEMINATED]
            )
            .select_related("meeting")
            .order_by("-approved_at")
        ),
        public_file=_minutes_file,
    ),
)
register(
    Decision,
    Releasable(
        label=gettext_lazy("Decision"),
        network=lambda d: d.network,
        owners=lambda d: d.body,
        title=lambda d: f"{d.number} {d.title}",
        refuse=lambda d: None,
        candidates=lambda n: Decision.objects.filter(network=n).order_by("-adopted_at"),
    ),
)
register(
    Statement,
    Releasable(
        label=gettext_lazy("Statement"),
        network=lambda s: s.network,
        owners=lambda s: rules.clearing_body(s),
        title=lambda s: s.title,
        refuse=lambda s: (
            None if s.status == Statement.Status.ISSUED else _("Only an issued statement is released.")
        ),
        candidates=lambda n: Statement.objects.filter(network=n, status=Statement.Status.ISSUED).order_by(
            "-issued_at"
        ),
        public_file=_statement_file,
        languages=lambda s: services.issued_version(s).languages,
    ),
)


def reference(record) -> str:
    """`app_label.model:id`, how the page and the API that propose a release name a record."""
    return f"{kind_key(type(record))}:{record.pk}"


def find_record(network: Network, reference: str):
    """The record a reference names (`app_label.model:id`), of a kind that may be released and of
    this network; None for anything else (a malformed reference, another network's record)."""
    try:
        kind, pk = str(reference).split(":")
        app_label, model_name = kind.split(".")
        model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
        pk = int(pk)
    except (ValueError, ObjectDoesNotExist):
        return None
    found = REGISTRY.get(model)
    record = model.objects.filter(pk=pk).first() if found else None
    if record is None or found.network(record).pk != network.pk:
        return None
    return record


def candidates(network: Network, per_kind: int = 20) -> list[tuple[str, list[tuple[str, str]]]]:
    """(kind, [(reference, title)]) of the records that may be proposed, leaving out those already
    live: one query per kind, and one for the live releases."""
    live = set(
        Release.objects.filter(network=network, status__in=Release.LIVE).values_list(
            "record_type_id", "record_id"
        )
    )
    found = []
    for model, kind in REGISTRY.items():
        if kind.candidates is None:
            continue
        type_id = ContentType.objects.get_for_model(model).pk
        records = [r for r in kind.candidates(network)[:per_kind] if (type_id, r.pk) not in live]
        if records:
            found.append((str(kind.label), [(reference(r), kind.title(r)) for r in records]))
    return found


def _of_kind(model) -> Q:
    """Releases of records of `model`, joined to their content type rather than looking it up, so a
    page costs the same query whether or not the type is cached yet."""
    meta = model._meta
    return Q(record_type__app_label=meta.app_label, record_type__model=meta.model_name)


def released_ids(model, ids) -> set[int]:
    """Which of these records of `model` are public: one query."""
    return set(
        Release.objects.filter(
            _of_kind(model), record_id__in=list(ids), status=Release.Status.RELEASED
        ).values_list("record_id", flat=True)
    )


def with_release(queryset: models.QuerySet) -> models.QuerySet:
    """The records with their live release's id and status, read in the same query."""
    live = Release.objects.filter(
        _of_kind(queryset.model), record_id=OuterRef("pk"), status__in=Release.LIVE
    ).order_by("-id")
    return queryset.annotate(
        live_release_id=Subquery(live.values("pk")[:1]),
        live_release_status=Subquery(live.values("status")[:1]),
    )


def _live(network: Network, records: list) -> dict:
    """(app label, model, id) -> (release id, status) of the records' live releases: what
    `with_release` loaded, and one query for the records it did not."""
    live, asked = {}, {}
    for record in records:
        meta = record._meta
        key = (meta.app_label, meta.model_name, record.pk)
        if hasattr(record, "live_release_status"):
            if record.live_release_status:
                live[key] = (record.live_release_id, record.live_release_status)
        else:
            asked.setdefault(type(record), set()).add(record.pk)
    if asked:
        wanted = Q(pk__in=[])
        for model, ids in asked.items():
            wanted |= _of_kind(model) & Q(record_id__in=ids)
        rows = Release.objects.filter(wanted, network=network, status__in=Release.LIVE).values_list(
            "record_type__app_label", "record_type__model", "record_id", "pk", "status"
        )
        live |= {(app_label, model, pk): (rid, status) for app_label, model, pk, rid, status in rows}
    return live


def states(user, network: Network, records: list) -> list[ReleaseState | None]:
    """What each record's page shows of its release to `user`: the live release's status to members;
    to the Secretariat, where none is live and the record may be released, the page that proposes
    it. At most one query, for the live releases of the records not loaded `with_release`."""
    members, manages = perms.can_view_releases(user, network), perms.can_manage_releases(user, network)
    if not (members or manages) or not records:
        return [None] * len(records)
    live = _live(network, records)
    propose = reverse("statements:release_new", args=[network.slug])
    found = []
    for record in records:
        meta = record._meta
        release = live.get((meta.app_label, meta.model_name, record.pk))
        kind = REGISTRY.get(type(record))
        if release is not None:
            pk, status = release
            released = status == Release.Status.RELEASED
            found.append(
                ReleaseState(
                    status=status,
                    label=_("Released — on the public page") if released else Release.Status(status).label,
                    url=reverse("statements:release", args=[network.slug, pk]),
                    public_url=reverse("statements:public_release", args=[network.slug, pk])
                    if released
                    else "",
                )
            )
        elif manages and kind is not None and kind.refuse(record) is None:
            found.append(ReleaseState(propose_url=f"{propose}?{urlencode({'record': reference(record)})}"))
        else:
            found.append(None)
    return found


def live_release(record) -> Release | None:
    return (
        Release.objects.filter(
            record_type=ContentType.objects.get_for_model(record),
            record_id=record.pk,
            status__in=Release.LIVE,
        )
        .order_by("-id")
        .first()
    )


def is_released(record) -> bool:
    return record.pk in released_ids(type(record), [record.pk])


@transaction.atomic
def propose_release(*, by, record, title: str = "", summary: str = "") -> Release:
    """Propose a record for release; it is public only once agreed."""
    kind = releasable(record)
    if reason := kind.refuse(record):
        raise ValidationError(reason)
    if live_release(record) is not None:
        raise ValidationError(_("This record is already proposed for release or released."))
    release = Release(
        network=kind.network(record),
        record_type=ContentType.objects.get_for_model(record),
        record_id=record.pk,
        title=(title.strip() or kind.title(record))[:300],
        summary=summary.strip(),
        proposed_by=by if getattr(by, "is_authenticated", False) else None,
    )
    release.full_clean()
    release.save()
    record_change(actor=by, obj=release, action=CREATE, network_id=release.network_id)
    return release


@transaction.atomic
def put_release_to_clearance(
    *,
    by,
    release: Release,
    procedure: str = Round.Procedure.SILENCE,
    deadline: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> Round:
    """Ask the seats that own the record (the body that adopted it, the document's body) whether it
    may be made public, by the same clearance as statements."""
    now = now or timezone.now()
    if release.status not in (Release.Status.PROPOSED, Release.Status.NOT_AGREED):
        raise ValidationError(_("Only a proposed release is put to clearance."))
    body = releasable(release.record).owners(release.record)
    seats = rules.clearing_seats(body) if body else []
    if not seats:
        raise ValidationError(
            _("Nobody owns this record to agree to its release: record a decision instead.")
        )
    round = services.open_clearance(
        by=by,
        network=release.network,
        body=body,
        seats=seats,
        procedure=procedure,
        deadline=deadline,
        now=now,
        release=release,
    )
    save_changes(release, by=by, network_id=release.network_id, fields={"status": Release.Status.CLEARANCE})
    _ask(release, round)
    return round


def _ask(release: Release, round: Round) -> None:
    def compose() -> Content:
        when = show_datetime(release.network.localtime(round.deadline), weekday=True)
        if round.procedure == Round.Procedure.SILENCE:
            rule = _("Unless your organisation objects by %(when)s, it is deemed to agree.") % {"when": when}
        else:
            rule = _("Your organisation's answer is awaited by %(when)s.") % {"when": when}
        return Content(
            subject=_("Agree to make public: %(t)s") % {"t": release.title},
            text=_(
                "It is proposed to make “%(t)s” public on the network's public page. %(rule)s\n\n%(url)s\n"
            )
            % {"t": release.title, "rule": rule, "url": release_url(release)},
        )

    queue_message(
        Message(
            topic="release",
            network=release.network,
            recipients=representatives_of(round.body, [c.organisation_id for c in round.clearances.all()]),
            compose=compose,
        )
    )


def release_url(release: Release) -> str:
    return settings.CONVENE_BASE_URL + reverse("statements:release", args=[release.network.slug, release.pk])


def conclude(round: Round, *, by, cleared: bool, now: datetime.datetime) -> None:
    """A release's clearance closed (called by `services.close_round`)."""
    release = round.release
    fields = {"status": Release.Status.RELEASED if cleared else Release.Status.NOT_AGREED}
    if cleared:
        fields["released_at"] = now
    save_changes(release, by=by, network_id=release.network_id, fields=fields)


@transaction.atomic
def release_by_decision(
    *, by, release: Release, decision: Decision, now: datetime.datetime | None = None
) -> Release:
    """The network decided to make it public: the decision is the agreement."""
    if release.status not in (Release.Status.PROPOSED, Release.Status.NOT_AGREED):
        raise ValidationError(_("Only a proposed release is agreed by a decision."))
    if decision.network_id != release.network_id:
        raise ValidationError({"decision": _("No such decision in this network.")})
    save_changes(
        release,
        by=by,
        network_id=release.network_id,
        fields={
            "status": Release.Status.RELEASED,
            "decision": decision,
            "released_at": now or timezone.now(),
        },
    )
    return release


@transaction.atomic
def release_issued_statement(*, by, statement: Statement, now: datetime.datetime) -> Release:
    """A statement for the public is released when it is issued: its clearance was the agreement."""
    release = Release.objects.create(
        network=statement.network,
        record_type=ContentType.objects.get_for_model(statement),
        record_id=statement.pk,
        title=statement.title,
        status=Release.Status.RELEASED,
        released_at=now,
        proposed_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_change(actor=by, obj=release, action=CREATE, network_id=release.network_id)
    return release


@transaction.atomic
def withdraw_release(*, by, release: Release, reason: str) -> Release:
    """Take it off the public page (or stop the proposal); the record of the release stays."""
    if release.status not in Release.LIVE:
        raise ValidationError(_("This release is not live."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it is withdrawn.")})
    open_round = release.rounds.filter(outcome=Round.Outcome.OPEN).first()
    if open_round is not None:
        Round.objects.filter(pk=open_round.pk).update(outcome=Round.Outcome.VOIDED, closed_at=timezone.now())
    save_changes(
        release,
        by=by,
        network_id=release.network_id,
        fields={
            "status": Release.Status.WITHDRAWN,
            "withdrawn_at": timezone.now(),
            "withdrawal_reason": reason.strip()[:500],
        },
    )
    return release


def released(network: Network):
    """What the public page shows, newest first."""
    return Release.objects.filter(network=network, status=Release.Status.RELEASED).select_related(
        "network", "record_type"
    )


def kind_label(release: Release) -> str:
    """ "Minutes", "Statement": what kind of record it is, without loading the record."""
    found = REGISTRY.get(release.record_type.model_class())
    return str(found.label) if found else ""
