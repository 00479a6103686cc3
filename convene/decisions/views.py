"""Proposals, positions, the decision register, escalations, action items and monitoring pages."""

from collections import defaultdict
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convene.core import release_status
from convene.core.documents import download, download_name
from convene.library.services import upload_document
from convene.library.views import document_response
from convene.meetings.forms import PaperForm
from convene.meetings.permissions import can_view_meeting
from convene.networks.models import Organisation
from convene.networks.web import apply_service, network_view, run_or_report

from . import exports, monitoring, panels, rules, services
from . import permissions as perms
from .filters import ActionItemFilterSet, DecisionFilterSet
from .forms import (
    ActionItemForm,
    ActionItemNewForm,
    CommentForm,
    ConsultationForm,
    ConsultationRecordForm,
    EscalationForm,
    FocalPointForm,
    PositionForm,
    ProgressForm,
    ProposalEditForm,
    ProposalForm,
    ReasonForm,
    RecordedDecisionForm,
    ReopenForm,
    state_question,
)
from .models import ActionItem, Consultation, Decision, Escalation, FocalPoint, Proposal

decisions_view = network_view(check=perms.can_view_decisions)


def _to_proposal(proposal):
    return redirect("decisions:proposal", network_slug=proposal.network.slug, proposal_id=proposal.pk)


def _form_page(request, network, form, title, back=None, multipart=False):
    return render(
        request,
        "decisions/form.html",
        {"network": network, "form": form, "title": title, "back": back, "multipart": multipart},
    )


# Proposals --------------------------------------------------------------------------------------


@decisions_view
def proposal_list(request, network):
    proposals = Proposal.objects.filter(network=network).select_related("body", "decision")
    status = request.GET.get("status", "open")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    counts = dict(Proposal.objects.filter(network=network).values_list("status").annotate(n=Count("pk")))
    return render(
        request,
        "decisions/proposal_list.html",
        {
            "network": network,
            "proposals": proposals.order_by("-created_at")[:100],
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in Proposal.Status.choices],
            "awaiting": {p.pk for p in panels.awaiting_position(request.user, network)},
            "can_propose": perms.can_propose(request.user, network),
        },
    )


@decisions_view
def proposal_new(request, network):
    if not perms.can_propose(request.user, network):
        raise PermissionDenied(_("Only the Secretariat and members of a deciding body make proposals."))
    kind = request.GET.get("kind", Proposal.Kind.GENERAL)
    if kind not in Proposal.Kind.values:
        kind = Proposal.Kind.GENERAL
    initial = {
        k: request.GET[k] for k in ("membership", "working_group", "meeting", "amends") if k in request.GET
    }
    form = ProposalForm(request.POST or None, network=network, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        body = form.cleaned_data["body"]
        proposal = apply_service(
            form, lambda: services.propose(by=request.user, network=network, body=body, **fields)
        )
        if proposal:
            messages.success(request, _("Proposal put to %(body)s.") % {"body": body})
            return _to_proposal(proposal)
    return render(
        request,
        "decisions/proposal_form.html",
        {
            "network": network,
            "form": form,
            "kind": kind,
            "kinds": Proposal.Kind.choices,
            "authority": rules.deciding_body_for(network, kind),
        },
    )


@decisions_view
def decision_record(request, network):
    """Record a charter decision the body the charter names took elsewhere (the Secretariat)."""
    if not perms.can_run_procedure(request.user, network):
        raise PermissionDenied(_("Only the Secretariat records decisions taken elsewhere."))
    kind = request.GET.get("kind", "")
    if kind not in services.RECORDED_TITLES:
        kind = Proposal.Kind.ESTABLISH_WORKING_GROUP
    initial = {k: request.GET[k] for k in ("membership", "working_group") if k in request.GET}
    form = RecordedDecisionForm(
        request.POST or None, request.FILES or None, network=network, kind=kind, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("evidence_file")

        def record():
            document = None
            if upload:
                document = upload_document(by=request.user, network=network, upload=upload, title="")
            return services.record_decision_taken_elsewhere(
                by=request.user, network=network, evidence_document=document, **form.service_fields()
            )

        decision = apply_service(form, lambda: transaction.atomic()(record)())
        if decision:
            messages.success(request, decision.provenance)
            return _to_proposal(decision.proposal)
    authority = rules.deciding_body_for(network, kind)
    title = _("Record a decision %(body)s took elsewhere: %(kind)s") % {
        "body": authority.tr.name if authority else "",
        "kind": Proposal.Kind(kind).label,
    }
    return _form_page(request, network, form, title, multipart=True)


def _later_decisions(decision) -> dict:
    """The decisions that amend or supersede this one, and this one with its live release (for
    `release_status.annotate`), in one query."""
    if decision is None:
        return {"amended_by": [], "superseded_by": [], "this": None}
    found = release_status.with_release(
        Decision.objects.filter(Q(pk=decision.pk) | Q(amends=decision) | Q(supersedes=decision))
    )
    found = list(found.order_by("adopted_at"))
    return {
        "amended_by": [d for d in found if d.amends_id == decision.pk],
        "superseded_by": [d for d in found if d.supersedes_id == decision.pk],
        "this": next(d for d in found if d.pk == decision.pk),
    }


def _proposal_context(request, network, proposal):
    members = rules.deciding_members(proposal.body)
    positions = list(proposal.positions.select_related("organisation", "recorded_by"))
    tally = services.tally(proposal, members=members, positions=positions)
    mine = perms.speaking_for(request.user, proposal, members)
    run = perms.can_run_procedure(request.user, network)
    position_form = None
    if proposal.is_open and (mine or run):
        organisations = [m.organisation_id for m in members] if run else [o.pk for o in mine]
        position_form = PositionForm(
            organisations=Organisation.objects.filter(pk__in=organisations),
            on_behalf=run,
            initial={
                "organisation": mine[0].pk if mine else None,
                "channel": "direct" if mine else "meeting",
            },
        )
    decision = getattr(proposal, "decision", None)  # loaded with the proposal
    documents = list(release_status.with_release(proposal.documents.all()))
    later = _later_decisions(decision)
    this = later.pop("this")  # the decision as loaded with its live release
    release_status.annotate(request.user, network, [this, *documents])
    consultations = list(proposal.consultations.select_related("organisation"))
    blocking = []
    if proposal.is_open and not tally["objections"]:
        blocking = services.blocking_reasons(proposal, tally_=tally, consultations=consultations)
    return {
        "network": network,
        "proposal": proposal,
        "tally": tally,
        "mine": mine,
        "position_form": position_form,
        "can_run": run,
        "can_withdraw": perms.can_withdraw(request.user, proposal),
        "consultations": consultations,
        "escalations": list(proposal.escalations.select_related("to_body", "unct_meeting")),
        "documents": documents,
        "decision": decision,
        "decision_release": this.release_state if this else None,
        **later,
        "actions": list(decision.action_items.select_related("owner_organisation", "owner"))
        if decision
        else [],
        "blocking": blocking,
        "can_view_meeting": proposal.meeting is not None and can_view_meeting(request.user, proposal.meeting),
    }


@decisions_view
def proposal_detail(request, network, proposal_id):
    proposal = perms.get_proposal_for_user(request.user, network, proposal_id)
    context = _proposal_context(request, network, proposal)
    if request.htmx and request.GET.get("part") == "positions":
        return render(request, "decisions/proposal_detail.html#positions", context)
    return render(request, "decisions/proposal_detail.html", context)


@decisions_view
def proposal_edit(request, network, proposal_id):
    proposal = perms.get_proposal_for_user(request.user, network, proposal_id)
    if not (perms.can_run_procedure(request.user, network) or perms.can_withdraw(request.user, proposal)):
        raise PermissionDenied(_("Only the Secretariat and the proposer edit a proposal."))
    initial = {f: getattr(proposal, f) for f in ("title", "text", "rationale", "topic", "deadline")}
    form = ProposalEditForm(request.POST or None, initial=initial)
    if state_rule := rules.state_consultation_rule(network):
        form.fields["concerns_state"] = state_question(state_rule)
        form.initial["concerns_state"] = {True: "1", False: "0"}.get(proposal.concerns_state)
    if request.method == "POST" and form.is_valid():
        changed = {k: form.cleaned_data[k] for k in form.changed_data}
        if apply_service(
            form, lambda: services.update_proposal(by=request.user, proposal=proposal, **changed)
        ):
            messages.success(request, _("Proposal updated."))
            return _to_proposal(proposal)
    return _form_page(request, network, form, _("Edit the proposal"), back=proposal)


@require_POST
@decisions_view
def position(request, network, proposal_id):
    proposal = perms.get_proposal_for_user(request.user, network, proposal_id)
    mine = perms.speaking_for(request.user, proposal)
    run = perms.can_run_procedure(request.user, network)
    if not (mine or run):
        raise PermissionDenied(_("Only members of %(body)s take positions.") % {"body": proposal.body})
    members = [m.organisation_id for m in rules.deciding_members(proposal.body)]
    allowed = Organisation.objects.filter(pk__in=members if run else [o.pk for o in mine])
    form = PositionForm(request.POST, organisations=allowed, on_behalf=run)
    if form.is_valid():
        data = form.cleaned_data
        organisation = data["organisation"]
        # A representative speaks directly for their own organisation; for another, the Secretariat
        # records what was given in a meeting or by e-mail.
        channel = data.get("channel") or "direct"
        if organisation.pk not in {o.pk for o in mine} and channel == "direct":
            channel = "other"
        if organisation.pk in {o.pk for o in mine}:
            channel = "direct"
        result = apply_service(
            form,
            lambda: services.record_position(
                by=request.user,
                proposal=proposal,
                organisation=organisation,
                stance=data["stance"],
                reason=data["reason"],
                channel=channel,
            ),
        )
        if result:
            messages.success(request, _("Position of %(org)s recorded.") % {"org": organisation})
            if request.htmx:
                context = _proposal_context(request, network, proposal)
                return render(request, "decisions/proposal_detail.html#positions", context)
            return _to_proposal(proposal)
    # The errors are shown on the form, with everything the user gave, in place (htmx) or on the page.
    context = _proposal_context(request, network, proposal)
    context["position_form"] = form
    template = (
        "decisions/proposal_detail.html#positions" if request.htmx else "decisions/proposal_detail.html"
    )
    return render(request, template, context, status=422)


def _procedure(request, network, proposal_id, *, withdraw=False):
    proposal = perms.get_proposal_for_user(request.user, network, proposal_id)
    allowed = (
        perms.can_withdraw(request.user, proposal)
        if withdraw
        else perms.can_run_procedure(request.user, network)
    )
    if not allowed:
        raise PermissionDenied(_("Only the Secretariat runs the decision procedure."))
    return proposal


@require_POST
@decisions_view
def proposal_close(request, network, proposal_id):
    proposal = _procedure(request, network, proposal_id)
    if run_or_report(request, lambda: services.close_proposal(by=request.user, proposal=proposal)):
        messages.success(request, proposal.get_status_display())
    return _to_proposal(proposal)


def _reason_view(request, network, proposal_id, *, service, title, done, withdraw=False):
    proposal = _procedure(request, network, proposal_id, withdraw=withdraw)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if apply_service(form, lambda: service(by=request.user, proposal=proposal, reason=reason)):
            messages.success(request, done)
            return _to_proposal(proposal)
    return _form_page(request, network, form, title, back=proposal)


@decisions_view
def proposal_withdraw(request, network, proposal_id):
    return _reason_view(
        request,
        network,
        proposal_id,
        service=services.withdraw_proposal,
        title=_("Withdraw the proposal"),
        done=_("Proposal withdrawn."),
        withdraw=True,
    )


@decisions_view
def proposal_defer(request, network, proposal_id):
    return _reason_view(
        request,
        network,
        proposal_id,
        service=services.defer_proposal,
        title=_("Defer the proposal"),
        done=_("Proposal deferred."),
    )


@decisions_view
def proposal_reopen(request, network, proposal_id):
    proposal = _procedure(request, network, proposal_id)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(
            form,
            lambda: services.reopen_proposal(
                by=request.user, proposal=proposal, reason=data["reason"], deadline=data["deadline"]
            ),
        ):
            messages.success(request, _("Proposal reopened."))
            return _to_proposal(proposal)
    return _form_page(request, network, form, _("Reopen the proposal"), back=proposal)


@decisions_view
def proposal_paper(request, network, proposal_id):
    proposal = _procedure(request, network, proposal_id, withdraw=True)
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(
            form,
            lambda: services.attach_document(
                by=request.user,
                proposal=proposal,
                upload=data["file"],
                title=data["title"],
                confidentiality=data["confidentiality"],
            ),
        ):
            messages.success(request, _("Paper attached."))
            return _to_proposal(proposal)
    return _form_page(request, network, form, _("Attach a paper"), back=proposal, multipart=True)


@decisions_view
def consultation_new(request, network, proposal_id):
    proposal = _procedure(request, network, proposal_id)
    form = ConsultationForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form, lambda: services.add_consultation(by=request.user, proposal=proposal, **form.cleaned_data)
        )
    ):
        messages.success(request, _("Consultation added."))
        return _to_proposal(proposal)
    return _form_page(request, network, form, _("Add a consultation"), back=proposal)


@decisions_view
def consultation_record(request, network, proposal_id, consultation_id):
    proposal = _procedure(request, network, proposal_id)
    consultation = Consultation.objects.filter(proposal=proposal, pk=consultation_id).first()
    if consultation is None:
        raise Http404(_("No such consultation."))
    consultation.proposal, consultation.network = proposal, network
    form = ConsultationRecordForm(request.POST or None, initial={"consulted_on": network.today()})
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form,
            lambda: services.record_consultation(
                by=request.user, consultation=consultation, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("Consultation recorded."))
        return _to_proposal(proposal)
    return _form_page(
        request, network, form, _("Record the consultation: %s") % consultation.title, back=proposal
    )


@decisions_view
def escalation(request, network, proposal_id):
    proposal = _procedure(request, network, proposal_id)
    record = proposal.pending_escalation
    if record is None:
        messages.error(request, _("This proposal is not pending at the UNCT."))
        return _to_proposal(proposal)
    record.proposal = proposal
    initial = {
        "tabled_on": record.tabled_on,
        "unct_meeting": record.unct_meeting_id,
        "unct_meeting_note": record.unct_meeting_note,
        "decided_on": network.today(),
    }
    form = EscalationForm(request.POST or None, network=network, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tabling = {k: data[k] for k in ("tabled_on", "unct_meeting", "unct_meeting_note")}

        def save():
            services.update_escalation(by=request.user, escalation=record, **tabling)
            if data["outcome"]:
                services.record_unct_decision(
                    by=request.user,
                    escalation=record,
                    adopted=data["outcome"] == Escalation.Outcome.ADOPTED,
                    decided_on=data["decided_on"],
                    unct_decision=data["unct_decision"],
                )
            return True

        if apply_service(form, lambda: transaction.atomic(save)()):
            messages.success(request, _("Escalation recorded."))
            return _to_proposal(proposal)
    return _form_page(request, network, form, _("At the UNCT: %s") % proposal.title, back=proposal)


# The register -----------------------------------------------------------------------------------


def _register(request, network):
    decisions = Decision.objects.filter(network=network).select_related("body", "proposal")
    filterset = DecisionFilterSet(request.GET or None, queryset=decisions, request=request)
    # Ordered by the topic alone: the model's ordering would make DISTINCT keep one per decision.
    topics = list(
        Decision.objects.filter(network=network)
        .exclude(topic="")
        .order_by("topic")
        .values_list("topic", flat=True)
        .distinct()
    )
    years = list(
        Decision.objects.filter(network=network).values_list("year", flat=True).distinct().order_by("-year")
    )
    return filterset, topics, years


def annotated(decisions):
    """Each decision with the numbers of the decisions that amend or supersede it (one query). A
    whole queryset (an export) is looked up as a subquery: 2,000 ids as parameters cost 15 ms."""
    whole = isinstance(decisions, QuerySet) and not decisions.query.is_sliced
    ids = decisions.values("pk") if whole else None
    decisions = list(decisions)
    ids = [d.pk for d in decisions] if ids is None else ids
    amended_by, superseded_by = defaultdict(list), defaultdict(list)
    later = Decision.objects.filter(Q(amends__in=ids) | Q(supersedes__in=ids)).order_by("pk")
    for number, amends, supersedes in later.values_list("number", "amends_id", "supersedes_id"):
        amended_by[amends].append(number)
        superseded_by[supersedes].append(number)
    for d in decisions:
        d.amended_by_numbers, d.superseded_by_numbers = amended_by[d.pk], superseded_by[d.pk]
    return decisions


@decisions_view
def register(request, network):
    filterset, topics, years = _register(request, network)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    qs = release_status.with_release(qs.order_by("-adopted_at", "-pk"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = annotated(page.object_list)
    release_status.annotate(request.user, network, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "decisions/register.html",
        {
            "network": network,
            "page": page,
            "filter": filterset,
            "topics": topics,
            "years": years,
            "bodies": rules.deciding_bodies(network),
            "query": query.urlencode(),
            "values": request.GET,
        },
    )


@decisions_view
def register_export(request, network, fmt):
    filterset, _topics, _years = _register(request, network)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    decisions = annotated(exports.exported(qs).order_by("year", "sequence"))
    if fmt == "xlsx":
        content, mimetype = exports.register_xlsx(network, decisions), exports.XLSX_TYPE
    else:
        content, mimetype = exports.register_pdf(network, decisions), "application/pdf"
    return download(content, download_name(network, "decisions", network.today(), fmt), mimetype)


# Action items -----------------------------------------------------------------------------------


@decisions_view
def action_list(request, network):
    actions = ActionItem.objects.filter(network=network).select_related(
        "owner_organisation", "owner", "decision"
    )
    mine = request.GET.get("mine") == "1"
    if mine:
        actions = panels.my_actions(request.user, network).select_related(
            "owner_organisation", "owner", "decision"
        )
    filterset = ActionItemFilterSet(request.GET or None, queryset=actions, request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else actions.unfinished()
    page = Paginator(qs.order_by("due_date", "pk"), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "decisions/action_list.html",
        {
            "network": network,
            "page": page,
            "mine": mine,
            "filter": filterset,
            "today": network.today(),
            "query": query.urlencode(),
            "values": request.GET,
            "statuses": ActionItem.Status.choices,
            "can_create": perms.can_create_actions(request.user, network),
        },
    )


@decisions_view
def action_new(request, network):
    if not perms.can_create_actions(request.user, network):
        raise PermissionDenied(_("The Secretariat records action items."))
    initial = {"decision": request.GET.get("decision", ""), "minutes_item": request.GET.get("minutes_item")}
    form = ActionItemNewForm(request.POST or None, network=network, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = apply_service(
            form, lambda: services.create_action_item(by=request.user, network=network, **form.cleaned_data)
        )
        if action:
            messages.success(request, _("Action item recorded."))
            return redirect("decisions:action", network_slug=network.slug, action_id=action.pk)
    title = _("New action item")
    return _form_page(request, network, form, title)


@decisions_view
def action_detail(request, network, action_id):
    action = perms.get_action_for_user(request.user, network, action_id)
    can_update = perms.can_update_action(request.user, action)
    progress = ProgressForm(initial={"status": ""}) if can_update else None
    comment = CommentForm() if perms.can_comment_on_action(request.user, action) else None
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind == "progress" and can_update:
            progress = ProgressForm(request.POST)
            if progress.is_valid() and apply_service(
                progress,
                lambda: services.report_progress(by=request.user, action=action, **progress.cleaned_data),
            ):
                messages.success(request, _("Progress recorded."))
                return redirect("decisions:action", network_slug=network.slug, action_id=action.pk)
        elif kind == "comment" and comment is not None:
            comment = CommentForm(request.POST)
            if comment.is_valid() and apply_service(
                comment,
                lambda: services.comment_on_action(by=request.user, action=action, **comment.cleaned_data),
            ):
                messages.success(request, _("Comment added."))
                return redirect("decisions:action", network_slug=network.slug, action_id=action.pk)
        else:
            raise PermissionDenied(_("You cannot update this action item."))
    return render(
        request,
        "decisions/action_detail.html",
        {
            "network": network,
            "action": action,
            "updates": list(action.updates.select_related("author")),
            "progress_form": progress,
            "comment_form": comment,
            "can_edit": perms.can_create_actions(request.user, network),
            "today": network.today(),
        },
    )


@decisions_view
def action_edit(request, network, action_id):
    action = perms.get_action_for_user(request.user, network, action_id)
    if not perms.can_create_actions(request.user, network):
        raise PermissionDenied(_("The Secretariat changes action items."))
    fields = ("title", "description", "owner_organisation", "owner", "due_date")
    form = ActionItemForm(
        request.POST or None, network=network, initial={f: getattr(action, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        changed = {k: form.cleaned_data[k] for k in form.changed_data}
        if apply_service(
            form, lambda: services.update_action_item(by=request.user, action=action, **changed)
        ):
            messages.success(request, _("Action item updated."))
            return redirect("decisions:action", network_slug=network.slug, action_id=action.pk)
    return _form_page(request, network, form, _("Edit the action item"))


# Monitoring -------------------------------------------------------------------------------------


@decisions_view
def monitoring_page(request, network):
    today = network.today()
    return render(
        request,
        "decisions/monitoring.html",
        {
            "network": network,
            "summary": monitoring.implementation_summary(network, today=today),
            "overdue_by_owner": monitoring.overdue_by_owner(network, today=today),
            "escalations": list(monitoring.pending_escalations(network)),
            "decisions": list(monitoring.decisions_with_followup(network, today=today)),
            "today": today,
        },
    )


# Consultations, as the consulted organisation's focal point sees them ---------------------------


def consultee_view(view):
    """Load the network for the Secretariat or a focal point of a consulted organisation (404 for
    everyone else); the rest of the network stays closed to a focal point."""

    @wraps(view)
    def wrapper(request, network_slug, *args, **kwargs):
        network = perms.get_network_for_consultee(request.user, network_slug)
        request.network = network
        with timezone.override(network.zone):
            return view(request, network, *args, **kwargs)

    return wrapper


@require_GET
@consultee_view
def consultation_list(request, network):
    consultations = (
        perms.visible_consultations(request.user, network)
        .select_related("proposal", "organisation")
        .order_by("-status", "-created_at", "-pk")
    )
    return render(
        request,
        "decisions/consultation_list.html",
        {
            "network": network,
            "consultations": consultations[:200],
            "can_designate": perms.can_designate_focal_points(request.user, network),
        },
    )


@consultee_view
def consultation_detail(request, network, consultation_id):
    """The proposal (and its papers) or the text put to the organisation, and its answer."""
    consultation = perms.get_consultation_for_user(request.user, network, consultation_id)
    can_answer = perms.can_answer_consultation(request.user, consultation)
    form = None
    if can_answer:
        form = ConsultationRecordForm(request.POST or None, initial={"consulted_on": network.today()})
        if request.method == "POST" and form.is_valid():
            done = apply_service(
                form,
                lambda: services.record_consultation(
                    by=request.user, consultation=consultation, **form.cleaned_data
                ),
            )
            if done:
                messages.success(
                    request, _("The answer of %(org)s is recorded.") % {"org": consultation.organisation}
                )
                return redirect(
                    "decisions:consultation", network_slug=network.slug, consultation_id=consultation.pk
                )
    elif request.method == "POST":
        raise PermissionDenied(_("This consultation is closed or not yours to answer."))
    return render(
        request,
        "decisions/consultation_detail.html",
        {
            "network": network,
            "c": consultation,
            "proposal": consultation.proposal,
            "papers": consultation.proposal.documents.order_by("title", "pk")
            if consultation.proposal
            else (),
            "texts": _consulted_texts(consultation),
            "form": form,
        },
    )


def _consulted_texts(consultation: Consultation) -> list[dict]:
    """A consulted text in each language it is written in, the authoritative one first."""
    subject = consultation.subject
    texts = subject.get("texts") or {}
    first = subject.get("authoritative_language")
    return [
        {**texts[code], "language": code, "authoritative": code == first}
        for code in sorted(texts, key=lambda code: (code != first, code))
    ]


@consultee_view
def consultation_paper(request, network, consultation_id, document_id):
    """A paper of the proposal put to the consulted organisation; nothing else of the library."""
    consultation = perms.get_consultation_for_user(request.user, network, consultation_id)
    if consultation.proposal is None:
        raise Http404(_("No such paper."))
    document = consultation.proposal.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404(_("No such paper."))
    return document_response(document)


@network_view(check=perms.can_designate_focal_points)
def focal_points(request, network):
    """The Secretariat designates (and ends) the focal points of the organisations consulted."""
    form = FocalPointForm(request.POST or None, network=network)
    if request.method == "POST" and "end" in request.POST:
        focal_point = FocalPoint.objects.filter(network=network, pk=request.POST.get("end")).first()
        if focal_point is None:
            raise Http404(_("No such focal point."))
        if run_or_report(request, lambda: services.end_focal_point(by=request.user, focal_point=focal_point)):
            messages.success(request, _("%(p)s is no longer a focal point.") % {"p": focal_point.person})
        return redirect("decisions:focal_points", network_slug=network.slug)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.designate_focal_point(by=request.user, network=network, **form.cleaned_data),
        )
        if done:
            messages.success(
                request,
                _("%(p)s is a focal point of %(org)s.") % {"p": done.person, "org": done.organisation},
            )
            return redirect("decisions:focal_points", network_slug=network.slug)
    return render(
        request,
        "decisions/focal_points.html",
        {
            "network": network,
            "form": form,
            "focal_points": FocalPoint.objects.filter(network=network).select_related(
                "organisation", "person"
            ),
        },
    )
