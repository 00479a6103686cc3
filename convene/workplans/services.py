"""Every write to workplans, activities, indicators and progress: one transaction, the domain rules,
an audit row. A workplan is adopted by a decision of the body the charter names."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.core.audit import check_changeable, diff, record_change, save_changes, snapshot
from convene.core.mail import Content, Message, queue_message
from convene.core.models import ChangeLog
from convene.decisions import effects
from convene.decisions import rules as decision_rules
from convene.decisions import services as decisions
from convene.decisions.models import Proposal
from convene.networks.models import Body, Membership, Network, Organisation, Rule

from . import queries
from .models import Activity, Indicator, MemberView, ProgressUpdate, Workplan

CREATE, UPDATE, DELETE = ChangeLog.Action.CREATE, ChangeLog.Action.UPDATE, ChangeLog.Action.DELETE
MAX_SDG_TARGETS = 10  # as UN INFO allows
MAX_VIEW_LENGTH = 5000
ACTIVITY_FIELDS = {
    "code",
    "title",
    "description",
    "lead_organisation",
    "working_group",
    "start_quarter",
    "end_quarter",
    "status",
    "currency",
    "budget",
    "funded",
    "pipeline",
    "funding_source",
    "funding_detail",
    "gender_marker",
    "gender_justification",
    "human_rights_marker",
    "human_rights_justification",
    "strategic_priority",
    "unsdcf_outcome",
    "unsdcf_output",
}
ACTIVITY_TAGS = {"participants", "gcm_objectives", "guiding_principles", "sdg_targets"}


def deciding_body(network: Network) -> Body | None:
    """Who adopts workplans: the authority of the charter's workplan rule (Kenya: the Executive
    Committee), otherwise the body that takes the network's decisions (Kazakhstan: the Network)."""
    rule = (
        network.rules.filter(kind=Rule.Kind.WORKPLAN, authority__isnull=False)
        .select_related("authority")
        .first()
    )
    if rule and rule.authority.decision_method:
        return rule.authority
    return decision_rules.deciding_body_for(network, Proposal.Kind.GENERAL)


# Workplans ---------------------------------------------------------------------------------------


@transaction.atomic
def create_workplan(
    *, by, network: Network, year: int, title: str = "", working_group: Body | None = None, summary: str = ""
) -> Workplan:
    """One workplan per network per year, and one per working group per year."""
    if working_group is not None and (
        working_group.network_id != network.pk or working_group.kind != Body.Kind.WORKING_GROUP
    ):
        raise ValidationError({"working_group": _("Choose a working group of this network.")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")})
    if Workplan.objects.filter(network=network, working_group=working_group, year=year).exists():
        owner = working_group or network
        raise ValidationError(
            {"year": _("%(owner)s already has a workplan for %(year)d.") % {"owner": owner, "year": year}}
        )
    workplan = Workplan(
        network=network,
        working_group=working_group,
        year=year,
        title=title.strip()
        or _("%(owner)s workplan %(year)d") % {"owner": working_group or network, "year": year},
        summary=summary.strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    workplan.full_clean()
    workplan.save()
    record_change(actor=by, obj=workplan, action=CREATE, network_id=network.pk)
    return workplan


def _check_editable(workplan: Workplan) -> None:
    if not workplan.is_editable:
        raise ValidationError(
            _("The workplan is %(status)s: open a review to change it.")
            % {"status": workplan.get_status_display().lower()}
        )


@transaction.atomic
def update_workplan(*, by, workplan: Workplan, **fields) -> Workplan:
    check_changeable(fields, {"title", "summary"})
    _check_editable(workplan)
    save_changes(workplan, by=by, network_id=workplan.network_id, fields=fields)
    return workplan


@transaction.atomic
def submit_workplan(
    *,
    by,
    workplan: Workplan,
    procedure: str = Proposal.Procedure.MEETING,
    deadline: datetime.datetime | None = None,
    meeting=None,
) -> Proposal:
    """Put the workplan to the body the charter names for adoption; adopting the decision adopts it."""
    if workplan.status not in (Workplan.Status.DRAFT, Workplan.Status.UNDER_REVIEW):
        raise ValidationError(_("Only a draft or a reviewed workplan is put for adoption."))
    if workplan.proposal_id and workplan.proposal.status in (Proposal.Status.OPEN, Proposal.Status.ESCALATED):
        raise ValidationError(
            _("The workplan is already before %(body)s.") % {"body": workplan.proposal.body}
        )
    if not workplan.activities.exists():
        raise ValidationError(_("Add the workplan's activities before putting it for adoption."))
    body = deciding_body(workplan.network)
    if body is None:
        raise ValidationError(_("The charter names no body that decides workplans."))
    consulted = queries.consults_members(workplan)
    if consulted and not workplan.consultation_opened_at:
        raise ValidationError(
            _(
                "The charter has %(body)s decide in consultation with the members: ask the members "
                "for their views on the draft before putting it for adoption."
            )
            % {"body": body}
        )
    activities = workplan.activities.select_related("lead_organisation").order_by("code")
    text = _("%(body)s adopts %(title)s, with %(n)d activities:") % {
        "body": body,
        "title": workplan.title,
        "n": len(activities),
    }
    text += "\n" + "\n".join(f"{a.code} {a.title} ({a.lead_organisation})" for a in activities)
    if consulted:
        text += "\n\n" + views_summary(workplan)
    proposal = decisions.propose(
        by=by,
        network=workplan.network,
        body=body,
        title=_("Adopt the %(title)s") % {"title": workplan.title},
        text=text,
        topic=_("Workplan"),
        procedure=procedure,
        deadline=deadline,
        meeting=meeting,
        # A network's workplan is its plan with the Government (the UNSDCF): where the charter asks,
        # it is a matter of concern to the state, and the ministry is consulted.
        concerns_state=True,
    )
    save_changes(workplan, by=by, network_id=workplan.network_id, fields={"proposal": proposal})
    return proposal


# Members' views on the draft (Kenya: the EC decides in consultation with other members) ---------


def views_summary(workplan: Workplan) -> str:
    """The members' views as the deciding body reads them with the proposal."""
    consultation = queries.consultation(workplan)
    lines = [
        _("Members' views (%(n)d of %(total)d member organisations):")
        % {"n": len(consultation.views), "total": len(consultation.organisations)}
    ]
    lines += [f"{v.organisation}: {v.text}" for v in consultation.views]
    if consultation.pending:
        lines.append(_("No view from: %(orgs)s.") % {"orgs": ", ".join(map(str, consultation.pending))})
    return "\n".join(lines)


@transaction.atomic
def open_consultation(*, by, workplan: Workplan) -> int:
    """Ask the members for their views on the draft; e-mails their representatives. Returns how many
    people it goes to."""
    if not queries.consults_members(workplan):
        raise ValidationError(_("The charter does not ask for the members' views on this workplan."))
    if not workplan.is_editable or workplan.is_before_body:
        raise ValidationError(_("Members give their views on a draft, before it is put for adoption."))
    if workplan.consultation_open:
        raise ValidationError(_("The members are already asked for their views."))
    if not workplan.activities.exists():
        raise ValidationError(_("Add the workplan's activities before asking the members for their views."))
    save_changes(
        workplan, by=by, network_id=workplan.network_id, fields={"consultation_opened_at": timezone.now()}
    )
    network = workplan.network
    url = settings.CONVENE_BASE_URL + reverse("workplans:detail", args=[network.slug, workplan.pk])
    message = Message(
        topic="workplan",
        network=network,
        recipients=queries.consulted_recipients(workplan),
        compose=lambda: Content(
            subject=_("Your view on the draft %(title)s") % {"title": workplan.title},
            text=_(
                "Dear colleagues,\n\nThe draft %(title)s is ready. Before it is put to %(body)s for "
                "adoption, each member organisation may give its view on it:\n%(url)s\n\nYou can change "
                "your organisation's view until the workplan is put for adoption.\n\n"
                "%(network)s Secretariat\n"
            )
            % {"title": workplan.title, "body": deciding_body(network), "url": url, "network": network},
        ),
    )
    queue_message(message)
    return len(message.recipients)


@transaction.atomic
def give_view(*, by, workplan: Workplan, organisation: Organisation, text: str) -> MemberView:
    """One view per member organisation; changeable until the workplan is put for adoption."""
    if not workplan.consultation_open:
        if workplan.is_before_body:
            raise ValidationError(
                _("The workplan is before %(body)s: views can no longer change.")
                % {"body": workplan.proposal.body}
            )
        raise ValidationError(_("The members are not asked for their views on this workplan now."))
    if organisation.pk not in {o.pk for o in queries.consulted_organisations(workplan)}:
        raise ValidationError(
            {"organisation": _("%(org)s is not a member of the network.") % {"org": organisation}}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your organisation's view.")})
    if len(text) > MAX_VIEW_LENGTH:
        raise ValidationError({"text": _("Keep the view under %d characters.") % MAX_VIEW_LENGTH})
    author = by if getattr(by, "is_authenticated", False) else None
    view = MemberView.objects.filter(workplan=workplan, organisation=organisation).first()
    if view is None:
        view = MemberView.objects.create(
            workplan=workplan, organisation=organisation, text=text, author=author
        )
        record_change(actor=by, obj=view, action=CREATE, network_id=workplan.network_id)
    else:
        save_changes(view, by=by, network_id=workplan.network_id, fields={"text": text, "author": author})
    return view


@effects.on_adoption
def adopt_on_decision(*, proposal, decision, by) -> None:
    """A workplan put for adoption is adopted with its decision, in the same transaction."""
    for workplan in Workplan.objects.filter(proposal=proposal).exclude(status=Workplan.Status.CLOSED):
        save_changes(
            workplan,
            by=by,
            network_id=workplan.network_id,
            fields={
                "status": Workplan.Status.ADOPTED,
                "decision": decision,
                "adopted_on": workplan.network.today(decision.adopted_at),
            },
        )


@transaction.atomic
def start_review(*, by, workplan: Workplan) -> Workplan:
    """Open an adopted workplan for its review (e.g. mid-year): activities may change again."""
    if workplan.status != Workplan.Status.ADOPTED:
        raise ValidationError(_("Only an adopted workplan is reviewed."))
    save_changes(
        workplan, by=by, network_id=workplan.network_id, fields={"status": Workplan.Status.UNDER_REVIEW}
    )
    return workplan


@transaction.atomic
def close_workplan(*, by, workplan: Workplan) -> Workplan:
    if workplan.status not in (Workplan.Status.ADOPTED, Workplan.Status.UNDER_REVIEW):
        raise ValidationError(_("Only an adopted workplan is closed."))
    save_changes(workplan, by=by, network_id=workplan.network_id, fields={"status": Workplan.Status.CLOSED})
    return workplan


# Activities --------------------------------------------------------------------------------------


def _network_organisation_ids(network: Network) -> set[int]:
    return set(
        Membership.objects.current(on=network.today())
        .filter(body__network=network)
        .values_list("organisation_id", flat=True)
    )


def check_activity(workplan: Workplan, fields: dict, tags: dict, *, seated: set[int] | None = None) -> None:
    """The rules an activity keeps, whether typed in a form or imported from a spreadsheet."""
    errors = {}
    seated = _network_organisation_ids(workplan.network) if seated is None else seated
    lead = fields.get("lead_organisation")
    if lead is not None and lead.pk not in seated:
        errors["lead_organisation"] = _("%(org)s has no seat in this network.") % {"org": lead}
    outsiders = [
        o for o in tags.get("participants", []) if o.pk not in seated and o.kind == Organisation.Kind.UN
    ]
    if outsiders:
        errors["participants"] = _("Not in this network: %s") % ", ".join(map(str, outsiders))
    group = fields.get("working_group")
    if group is not None and (
        group.network_id != workplan.network_id or group.kind != Body.Kind.WORKING_GROUP
    ):
        errors["working_group"] = _("Choose a working group of this network.")
    start, end = fields.get("start_quarter"), fields.get("end_quarter")
    if start and end and end < start:
        errors["end_quarter"] = _("The activity cannot end before it starts.")
    if len(tags.get("sdg_targets", [])) > MAX_SDG_TARGETS:
        errors["sdg_targets"] = _("At most %d SDG targets, as UN INFO allows.") % MAX_SDG_TARGETS
    for marker in ("gender", "human_rights"):
        if (
            fields.get(f"{marker}_marker") is not None
            and not (fields.get(f"{marker}_justification") or "").strip()
        ):
            errors[f"{marker}_justification"] = _("Justify the marker score.")
    money = {k: Decimal(fields.get(k) or 0) for k in ("budget", "funded", "pipeline")}
    if any(v < 0 for v in money.values()):
        errors["budget"] = _("Amounts cannot be negative.")
    elif money["funded"] + money["pipeline"] > money["budget"]:
        errors["funded"] = _("Funded and pipeline together exceed the budget.")
    if errors:
        raise ValidationError(errors)


def _set_tags(activity: Activity, tags: dict) -> dict:
    changes = {}
    for name, values in tags.items():
        before = sorted(str(o) for o in getattr(activity, name).all())
        getattr(activity, name).set(values)
        after = sorted(str(o) for o in values)
        if before != after:
            changes[name] = [before, after]
    return changes


@transaction.atomic
def add_activity(*, by, workplan: Workplan, **values) -> Activity:
    _check_editable(workplan)
    fields = {k: v for k, v in values.items() if k in ACTIVITY_FIELDS}
    tags = {k: list(v) for k, v in values.items() if k in ACTIVITY_TAGS}
    check_changeable(values, ACTIVITY_FIELDS | ACTIVITY_TAGS)
    check_activity(workplan, fields, tags)
    if workplan.activities.filter(code=fields.get("code", "")).exists():
        raise ValidationError({"code": _("Another activity has this code.")})
    activity = Activity(workplan=workplan, **fields)
    activity.full_clean()
    activity.save()
    _set_tags(activity, tags)
    record_change(actor=by, obj=activity, action=CREATE, network_id=workplan.network_id)
    return activity


@transaction.atomic
def update_activity(*, by, activity: Activity, **values) -> Activity:
    workplan = activity.workplan
    _check_editable(workplan)
    check_changeable(values, ACTIVITY_FIELDS | ACTIVITY_TAGS)
    fields = {k: v for k, v in values.items() if k in ACTIVITY_FIELDS}
    tags = {k: list(v) for k, v in values.items() if k in ACTIVITY_TAGS}
    merged = {k: getattr(activity, k) for k in ACTIVITY_FIELDS} | fields
    check_activity(workplan, merged, tags)
    if "code" in fields and workplan.activities.filter(code=fields["code"]).exclude(pk=activity.pk).exists():
        raise ValidationError({"code": _("Another activity has this code.")})
    before = snapshot(activity, list(fields))
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.full_clean()
    activity.save()
    changes = diff(before, snapshot(activity, list(fields))) | _set_tags(activity, tags)
    record_change(actor=by, obj=activity, action=UPDATE, network_id=workplan.network_id, changes=changes)
    return activity


@transaction.atomic
def remove_activity(*, by, activity: Activity) -> None:
    _check_editable(activity.workplan)
    record_change(
        actor=by,
        obj=activity,
        action=DELETE,
        network_id=activity.workplan.network_id,
        changes={"code": [activity.code, None]},
    )
    activity.delete()


# Indicators and progress -------------------------------------------------------------------------

INDICATOR_FIELDS = {
    "name",
    "unit",
    "baseline",
    "target",
    "actual",
    "by_sex",
    "by_age",
    "actual_by_sex",
    "actual_by_age",
}


def _check_indicator(fields: dict) -> None:
    if fields.get("actual_by_sex") and not fields.get("by_sex"):
        raise ValidationError({"actual_by_sex": _("This indicator is not disaggregated by sex.")})
    if fields.get("actual_by_age") and not fields.get("by_age"):
        raise ValidationError({"actual_by_age": _("This indicator is not disaggregated by age.")})
    for key in ("actual_by_sex", "actual_by_age"):
        for group, value in (fields.get(key) or {}).items():
            if not isinstance(value, (int, float)) or value < 0:
                raise ValidationError({key: _("%(g)s: give a number of zero or more.") % {"g": group}})


@transaction.atomic
def add_indicator(*, by, activity: Activity, **fields) -> Indicator:
    check_changeable(fields, INDICATOR_FIELDS)
    _check_indicator(fields)
    indicator = Indicator(activity=activity, **fields)
    indicator.full_clean()
    indicator.save()
    record_change(actor=by, obj=indicator, action=CREATE, network_id=activity.workplan.network_id)
    return indicator


@transaction.atomic
def update_indicator(*, by, indicator: Indicator, **fields) -> Indicator:
    check_changeable(fields, INDICATOR_FIELDS)
    _check_indicator({k: getattr(indicator, k) for k in INDICATOR_FIELDS} | fields)
    save_changes(indicator, by=by, network_id=indicator.activity.workplan.network_id, fields=fields)
    return indicator


@transaction.atomic
def report_progress(
    *, by, activity: Activity, year: int, quarter: int, narrative: str, percent: int, rag: str
) -> ProgressUpdate:
    """A quarter's progress (one per quarter; reporting again replaces it, audited)."""
    if activity.workplan.status == Workplan.Status.CLOSED:
        raise ValidationError(_("The workplan is closed."))
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("Choose a quarter from 1 to 4.")})
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Give a percentage from 0 to 100.")})
    if rag not in ProgressUpdate.Rag.values:
        raise ValidationError({"rag": _("Rate it red, amber or green.")})
    if not narrative.strip():
        raise ValidationError({"narrative": _("Say what happened this quarter.")})
    fields = {"narrative": narrative.strip(), "percent": percent, "rag": rag, "author": by}
    update = ProgressUpdate.objects.filter(activity=activity, year=year, quarter=quarter).first()
    network_id = activity.workplan.network_id
    if update is None:
        update = ProgressUpdate.objects.create(activity=activity, year=year, quarter=quarter, **fields)
        record_change(actor=by, obj=update, action=CREATE, network_id=network_id)
    else:
        save_changes(update, by=by, network_id=network_id, fields=fields)
    return update
