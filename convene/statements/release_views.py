"""Release pages (inside the network): what is proposed, in clearance, released or withdrawn, and
the Secretariat's actions on it. Thin views over releases.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.decisions.models import Decision
from convene.networks.models import Organisation
from convene.networks.web import network_view, run_or_report

from . import forms, releases, services
from . import permissions as perms
from .models import Clearance, Release, Round


@network_view(check=perms.can_view_releases)
def release_list(request, network):
    items = (
        Release.objects.filter(network=network).select_related("record_type").order_by("-created_at", "-id")
    )
    return render(
        request,
        "statements/release_list.html",
        {
            "network": network,
            "releases": [(r, releases.kind_label(r)) for r in items],
            "can_manage": perms.can_manage_releases(request.user, network),
        },
    )


def _record(network, reference: str):
    """`app_label.model:id` of a registered kind, in this network."""
    record = releases.find_record(network, reference)
    if record is None:
        raise Http404(_("No such record."))
    return record


@network_view(check=perms.can_manage_releases)
def release_new(request, network):
    """Propose a record for release: choose one of the network's records, then say how the public
    page presents it (`?record=app.model:id`)."""
    chosen = request.GET.get("record", "") or request.POST.get("record", "")
    if not chosen:
        return render(
            request,
            "statements/release_choose.html",
            {"network": network, "candidates": releases.candidates(network)},
        )
    record = _record(network, chosen)
    if request.method == "POST":
        release = run_or_report(
            request,
            lambda: releases.propose_release(
                by=request.user,
                record=record,
                title=request.POST.get("title", ""),
                summary=request.POST.get("summary", ""),
            ),
        )
        if release is not None:
            messages.success(request, _("Proposed for release."))
            return redirect("statements:release", network_slug=network.slug, release_id=release.pk)
    return render(
        request,
        "statements/release_new.html",
        {
            "network": network,
            "record": record,
            "reference": request.GET.get("record", "") or request.POST.get("record", ""),
            "kind": releases.REGISTRY[type(record)].label,
            "title": releases.REGISTRY[type(record)].title(record),
        },
    )


@network_view(check=perms.can_view_releases)
def release_detail(request, network, release_id):
    release = perms.get_release_for_user(request.user, network, release_id)
    round = release.rounds.exclude(outcome=Round.Outcome.VOIDED).select_related("body").first()
    clearances = list(round.clearances.select_related("organisation", "answered_by")) if round else []
    mine = perms.answering_for(request.user, round) if round and round.is_open else []
    behalf_form = None
    if round and round.is_open and perms.can_record_on_behalf(request.user, network):
        seats = Organisation.objects.filter(pk__in=[c.organisation_id for c in clearances])
        behalf_form = forms.AnswerForm(organisations=seats, on_behalf=True, prefix="behalf")
    decisions = (
        Decision.objects.filter(network=network).order_by("-adopted_at")[:50]
        if perms.can_manage_releases(request.user, network)
        else []
    )
    return render(
        request,
        "statements/release_detail.html",
        {
            "network": network,
            "release": release,
            "kind": releases.kind_label(release),
            "round": round,
            "clearances": clearances,
            "mine": mine,
            "behalf_form": behalf_form,
            "answers": [(v, label) for v, label in Clearance.Answer.choices if v in Clearance.GIVEN],
            "can_manage": perms.can_manage_releases(request.user, network),
            "decisions": decisions,
            "procedures": Round.Procedure.choices,
        },
    )


@require_POST
@network_view(check=perms.can_view_releases)
def release_act(request, network, release_id):
    release = perms.get_release_for_user(request.user, network, release_id)
    action = request.POST.get("action", "")
    if action == "answer":
        _answer(request, network, release)
        return redirect("statements:release", network_slug=network.slug, release_id=release.pk)
    if not perms.can_manage_releases(request.user, network):
        raise PermissionDenied(_("Only the Secretariat acts on releases."))
    if action == "clearance":
        # The statements' own form: a date-time in the network's zone; empty for the charter's period.
        form = forms.ClearanceRoundForm(request.POST, network=network)
        form.fields["deadline"].required = False
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        elif run_or_report(
            request,
            lambda: releases.put_release_to_clearance(by=request.user, release=release, **form.cleaned_data),
        ):
            messages.success(request, _("Put to its owners for agreement."))
    elif action == "decision":
        chosen = request.POST.get("decision", "")
        decision = Decision.objects.filter(network=network, pk=chosen).first() if chosen.isdecimal() else None
        if decision is None:
            messages.error(request, _("Choose the decision that agreed to it."))
        elif run_or_report(
            request, lambda: releases.release_by_decision(by=request.user, release=release, decision=decision)
        ):
            messages.success(request, _("Released."))
    elif action == "withdraw" and run_or_report(
        request,
        lambda: releases.withdraw_release(
            by=request.user, release=release, reason=request.POST.get("reason", "")
        ),
    ):
        messages.success(request, _("Withdrawn from the public page."))
    return redirect("statements:release", network_slug=network.slug, release_id=release.pk)


def _answer(request, network, release) -> None:
    """A seat's answer by its representative, or one the Secretariat records on the seat's behalf
    (given by e-mail, by phone or in a meeting), as on a statement."""
    round = release.rounds.filter(outcome=Round.Outcome.OPEN).first()
    if "behalf-organisation" in request.POST:
        if round is None or not perms.can_record_on_behalf(request.user, network):
            raise PermissionDenied(_("Only the Secretariat records an answer given by e-mail or phone."))
        seats = Organisation.objects.filter(pk__in=round.clearances.values("organisation_id"))
        form = forms.AnswerForm(request.POST, organisations=seats, on_behalf=True, prefix="behalf")
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return
        values = form.cleaned_data
    else:
        chosen = request.POST.get("organisation", "")
        organisation = Organisation.objects.filter(pk=chosen).first() if chosen.isdecimal() else None
        if round is None or organisation not in perms.answering_for(request.user, round):
            raise PermissionDenied(_("You do not answer for this organisation here."))
        values = {
            "organisation": organisation,
            "answer": request.POST.get("answer", ""),
            "comment": request.POST.get("comment", ""),
            "channel": Clearance.Channel.DIRECT,
        }
    if run_or_report(request, lambda: services.answer_clearance(by=request.user, round=round, **values)):
        if values["channel"] == Clearance.Channel.DIRECT:
            messages.success(request, _("Your answer is recorded."))
        else:
            messages.success(request, _("Answer of %(org)s recorded.") % {"org": values["organisation"]})
