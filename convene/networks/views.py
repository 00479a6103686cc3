"""Network pages. Each view: load (gatekeeper), check (permissions), act (service), render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from convene.core import fragments
from convene.core.documents import download, download_name
from convene.core.mail import retry_now
from convene.core.models import ChangeLog, OutboundEmail
from convene.core.spreadsheets import CSV_TYPE

from . import charter, exports, monitoring, services
from . import permissions as perms
from .filters import ChangeLogFilterSet
from .forms import (
    ApplicationDecisionForm,
    ApplicationForm,
    CoChairsForm,
    EndDateForm,
    MembershipEditForm,
    MembershipForm,
    OrganisationForm,
    RepresentativeEditForm,
    RepresentativeForm,
    WorkingGroupForm,
)
from .models import Body, Membership, Organisation, Representative
from .panels import ON_THE_HOME, needs_attention, render_panels, rules_owed
from .queries import Structure, load_structure
from .web import apply_service, look_before_you_send, network_view


def home(request):
    networks = list(perms.networks_for(request.user))
    if len(networks) == 1:
        return redirect("networks:home", network_slug=networks[0].slug)
    return render(request, "networks/home.html", {"networks": networks})


@network_view(check=None)
def network_home(request, network):
    if not request.access.is_member:
        # External partners of a working group see their group only.
        body = network.bodies.filter(pk__in=request.access.body_ids).first()
        return redirect("networks:body", network_slug=network.slug, body_slug=body.slug)
    structure, bodies = _home_structure(network)
    statuses = _rule_statuses(network, structure)
    rules = rules_owed(statuses) if request.access.is_secretariat else []
    attention = needs_attention(request, network, structure, extra=rules, limit=ON_THE_HOME + 1)
    return render(
        request,
        "networks/network_home.html",
        {
            "network": network,
            "bodies": bodies,
            "statuses": statuses,
            "attention": attention[:ON_THE_HOME],
            "more_attention": len(attention) > ON_THE_HOME,
            "panels": render_panels(request, network, structure),
            "can_manage": perms.can_manage_network(request.user, network),
        },
    )


@network_view()
def attention(request, network):
    """Everything the user owes in the network, where the home lists only the earliest."""
    structure, _bodies = _home_structure(network)
    rules = rules_owed(_rule_statuses(network, structure)) if request.access.is_secretariat else []
    return render(
        request,
        "networks/attention.html",
        {"network": network, "attention": needs_attention(request, network, structure, extra=rules)},
    )


def _home_structure(network) -> tuple[Structure, str]:
    structure, bodies = fragments.remembered(network, "home", lambda: _home_bodies(network), network.today())
    structure.network = network
    return structure, bodies


def _rule_statuses(network, structure: Structure):
    return monitoring.evaluate(network.rules.select_related("body", "authority"), structure)


def _home_bodies(network) -> tuple[Structure, str]:
    """The network's bodies, seats and representatives on its date, and their grid: the same for
    every reader until the network changes or the date does (terms start and end)."""
    structure = load_structure(network)
    html = render_to_string("networks/_bodies.html", {"network": network, "structure": structure})
    return structure, html


@network_view(check=None)
def body_detail(request, network, body_slug):
    body = perms.get_body_for_user(request.user, network, body_slug)
    structure = load_structure(network, include_abolished=True, bodies=network.bodies.filter(pk=body.pk))
    return render(
        request,
        "networks/body_detail.html",
        {
            "network": network,
            "body": structure.bodies[0],
            "can_manage": perms.can_manage_network(request.user, network),
        },
    )


@network_view()
def members(request, network):
    structure = load_structure(network)
    return render(
        request,
        "networks/members.html",
        {
            "network": network,
            "rows": exports.member_rows(structure),
            "can_share": perms.can_share_members_list(request.user, network),
        },
    )


@network_view(check=perms.can_export_members)
def members_export(request, network, fmt):
    structure = load_structure(network)
    name = download_name(network, "members", network.today(), fmt)
    if fmt == "csv":
        return download(exports.members_csv(structure), name, CSV_TYPE)
    return download(exports.members_xlsx(structure), name, exports.XLSX_TYPE)


@network_view(check=perms.can_share_members_list)
def members_share(request, network):
    """Shows the e-mail and its recipients first; sends the list only when confirmed."""
    return look_before_you_send(
        request,
        network,
        preview=lambda: services.members_list_message(network),
        send=lambda: services.share_members_list(by=request.user, network=network),
        title=_("Share the members list"),
        send_label=_("Send the members list"),
        back=reverse("networks:members", args=[network.slug]),
        sent=lambda n: _("The members list is being sent to %(n)d representatives.") % {"n": n},
    )


# Secretariat: memberships, applications, representatives, working groups ----------------------


def _held_elsewhere(request, network, power: str, title, *, body=None, subject=None, warning=""):
    """Where the charter gives a power to another body, the page says so and offers the two ways
    it is done: put it to that body, or record the decision it took elsewhere. A form posted anyway
    changes nothing. Returns None where the Secretariat holds the power."""
    if network.decides_for_itself(power):
        return None
    authority = network.authority_for(power)
    query = f"?kind={power}" + (f"&{subject[0]}={subject[1]}" if subject else "")
    if request.method == "POST":
        messages.error(
            request,
            _("The charter gives this decision to %(body)s; nothing was changed.")
            % {"body": authority.tr.name},
        )
    return render(
        request,
        "networks/power.html",
        {
            "network": network,
            "title": title,
            "body": body,
            "warning": warning,
            "authority": authority,
            "propose_url": reverse("decisions:proposal_new", args=[network.slug]) + query,
            "record_url": reverse("decisions:decision_record", args=[network.slug]) + query,
        },
        status=409 if request.method == "POST" else 200,
    )


def _form_page(request, network, form, title, *, body=None, back=None, extra=None):
    return render(
        request,
        "networks/form.html",
        {"network": network, "form": form, "title": title, "body": body, "back": back, **(extra or {})},
    )


@network_view(check=perms.can_manage_network)
def membership_add(request, network, body_slug):
    body = get_object_or_404(Body, network=network, slug=body_slug)
    form = MembershipForm(request.POST or None)
    if body.kind == Body.Kind.PLENARY:
        form.fields["role"].choices = [
            (Membership.Role.MEMBER, Membership.Role.MEMBER.label),
            (Membership.Role.OBSERVER, Membership.Role.OBSERVER.label),
        ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(form, lambda: services.add_membership(by=request.user, body=body, **data))
        if done:
            messages.success(
                request, _("%(org)s added to %(body)s.") % {"org": done.organisation, "body": body}
            )
            return redirect("networks:body", network_slug=network.slug, body_slug=body.slug)
    return _form_page(
        request, network, form, _("Add an organisation to %(body)s") % {"body": body}, body=body
    )


def _membership(network, membership_id) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("body", "organisation"), pk=membership_id, body__network=network
    )


@network_view(check=perms.can_manage_network)
def membership_edit(request, network, membership_id):
    membership = _membership(network, membership_id)
    initial = {f: getattr(membership, f) for f in ("start_date", "end_date", "note")}
    form = MembershipEditForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form,
            lambda: services.update_membership(by=request.user, membership=membership, **form.cleaned_data),
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("networks:body", network_slug=network.slug, body_slug=membership.body.slug)
    return _form_page(request, network, form, _("Edit: %(m)s") % {"m": membership}, body=membership.body)


@network_view(check=perms.can_manage_network)
def membership_end(request, network, membership_id):
    membership = _membership(network, membership_id)
    form = EndDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        end_date = form.cleaned_data["end_date"]
        if apply_service(
            form, lambda: services.end_membership(by=request.user, membership=membership, end_date=end_date)
        ):
            messages.success(request, _("%(m)s ended.") % {"m": membership})
            return redirect("networks:body", network_slug=network.slug, body_slug=membership.body.slug)
    return _form_page(request, network, form, _("End: %(m)s") % {"m": membership}, body=membership.body)


@network_view(check=perms.can_manage_network)
def applications(request, network):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(
            form, lambda: services.apply_for_membership(by=request.user, network=network, **data)
        )
        if done:
            messages.success(request, _("Application of %(org)s recorded.") % {"org": done.organisation})
            return redirect("networks:applications", network_slug=network.slug)
    history = (
        Membership.objects.filter(body__network=network, applied_on__isnull=False)
        .select_related("organisation", "decided_by")
        .order_by("-applied_on", "-pk")
    )
    return render(
        request,
        "networks/applications.html",
        {
            "network": network,
            "form": form,
            "history": history,
            "approval_body": services.membership_approval_body(network),
        },
    )


@network_view(check=perms.can_manage_network)
def application_decide(request, network, membership_id):
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "body"), pk=membership_id, body__network=network
    )
    title = _("Decide the application of %(org)s") % {"org": membership.organisation}
    if held := _held_elsewhere(
        request, network, "admit_member", title, subject=("membership", membership.pk)
    ):
        return held
    form = ApplicationDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(
            form,
            lambda: services.decide_membership_application(by=request.user, membership=membership, **data),
        ):
            messages.success(request, _("Decision on %(org)s recorded.") % {"org": membership.organisation})
            return redirect("networks:applications", network_slug=network.slug)
    return _form_page(
        request,
        network,
        form,
        title,
        extra={"help": _("The charter names no body that admits members: the Secretariat decides.")},
    )


@network_view(check=perms.can_manage_network)
def representative_add(request, network, membership_id):
    membership = get_object_or_404(
        Membership.objects.select_related("body", "organisation"), pk=membership_id, body__network=network
    )
    form = RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(
            form,
            lambda: services.designate_representative(
                by=request.user, membership=membership, **form.cleaned_data
            ),
        )
        if done:
            if request.htmx:
                structure = load_structure(network, bodies=network.bodies.filter(pk=membership.body_id))
                seat = next(
                    s for s in structure.bodies[0].seats if s.organisation.pk == membership.organisation_id
                )
                return render(
                    request,
                    "networks/body_detail.html#seat-row",
                    {"network": network, "seat": seat, "can_manage": True},
                )
            messages.success(
                request,
                _("%(p)s now represents %(org)s.") % {"p": done.person, "org": membership.organisation},
            )
            return redirect("networks:body", network_slug=network.slug, body_slug=membership.body.slug)
    if request.htmx and request.method == "GET":
        return render(
            request, "networks/_rep_form.html", {"network": network, "m": membership, "rep_form": form}
        )
    if request.htmx:
        # Show the errors in place: swap the form itself, not the row.
        response = render(
            request,
            "networks/_rep_form.html",
            {"network": network, "m": membership, "rep_form": form},
            status=422,
        )
        return reswap(retarget(response, f"#rep-form-{membership.pk}"), "outerHTML")
    title = _("Designate a representative of %(org)s in %(body)s") % {
        "org": membership.organisation,
        "body": membership.body,
    }
    return _form_page(request, network, form, title, body=membership.body)


def _representative(network, rep_id) -> Representative:
    return get_object_or_404(
        Representative.objects.select_related("person", "membership__body", "membership__organisation"),
        pk=rep_id,
        membership__body__network=network,
    )


@network_view(check=perms.can_manage_network)
def representative_edit(request, network, rep_id):
    rep = _representative(network, rep_id)
    initial = {f: getattr(rep, f) for f in ("kind", "participation_level", "start_date", "end_date")}
    form = RepresentativeEditForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form,
            lambda: services.update_representative(by=request.user, representative=rep, **form.cleaned_data),
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("networks:body", network_slug=network.slug, body_slug=rep.membership.body.slug)
    return _form_page(
        request, network, form, _("Representative: %(rep)s") % {"rep": rep}, body=rep.membership.body
    )


@require_POST
@network_view(check=perms.can_manage_network)
def representative_remove(request, network, rep_id):
    rep = _representative(network, rep_id)
    services.remove_representative(by=request.user, representative=rep)
    messages.success(
        request,
        _("%(p)s no longer represents %(org)s.") % {"p": rep.person, "org": rep.membership.organisation},
    )
    return redirect("networks:body", network_slug=network.slug, body_slug=rep.membership.body.slug)


@network_view(check=perms.can_manage_network)
def working_group_new(request, network):
    if held := _held_elsewhere(request, network, "establish_working_group", _("Establish a working group")):
        return held
    form = WorkingGroupForm(request.POST or None, initial=charter.working_group_defaults(network))
    if request.method == "POST" and form.is_valid():
        body = apply_service(
            form,
            lambda: services.establish_working_group(by=request.user, network=network, **form.cleaned_data),
        )
        if body:
            messages.success(request, _("%(body)s established.") % {"body": body})
            return redirect("networks:body", network_slug=network.slug, body_slug=body.slug)
    return _form_page(request, network, form, _("Establish a working group"))


def _working_group(network, body_slug) -> Body:
    return get_object_or_404(Body, network=network, slug=body_slug, kind=Body.Kind.WORKING_GROUP)


@network_view(check=perms.can_manage_network)
def working_group_edit(request, network, body_slug):
    body = _working_group(network, body_slug)
    title = _("Edit %(body)s") % {"body": body}
    subject = ("working_group", body.pk)
    if held := _held_elsewhere(request, network, "change_working_group", title, body=body, subject=subject):
        return held
    initial = {f: getattr(body, f) for f in services.WORKING_GROUP_FIELDS}
    form = WorkingGroupForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form, lambda: services.update_working_group(by=request.user, body=body, **form.cleaned_data)
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("networks:body", network_slug=network.slug, body_slug=body.slug)
    return _form_page(request, network, form, title, body=body)


@network_view(check=perms.can_manage_network)
def working_group_abolish(request, network, body_slug):
    body = _working_group(network, body_slug)
    title = _("Abolish %(body)s") % {"body": body}
    subject = ("working_group", body.pk)
    if held := _held_elsewhere(request, network, "abolish_working_group", title, body=body, subject=subject):
        return held
    form = EndDateForm(request.POST or None)
    form.fields["end_date"].label = _("Abolished on")
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form,
            lambda: services.abolish_working_group(
                by=request.user, body=body, abolished_on=form.cleaned_data["end_date"]
            ),
        )
    ):
        messages.success(request, _("%(body)s abolished.") % {"body": body})
        return redirect("networks:home", network_slug=network.slug)
    return _form_page(request, network, form, title, body=body)


@network_view(check=perms.can_manage_network)
def co_chairs(request, network, body_slug):
    body = _working_group(network, body_slug)
    title = _("Co-chairs of %(body)s") % {"body": body}
    subject = ("working_group", body.pk)
    warning = monitoring.rotation_warning(body)
    held = _held_elsewhere(
        request, network, "select_co_chairs", title, body=body, subject=subject, warning=warning
    )
    if held:
        return held
    form = CoChairsForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(
            form,
            lambda: services.set_co_chairs(
                by=request.user,
                body=body,
                organisations=list(data["organisations"]),
                start_date=data["start_date"],
                end_date=data["end_date"],
            ),
        ):
            messages.success(request, _("Co-chairs of %(body)s set.") % {"body": body})
            return redirect("networks:body", network_slug=network.slug, body_slug=body.slug)
    return _form_page(request, network, form, title, body=body)


@network_view(check=perms.can_view_audit_log)
def audit_log(request, network):
    entries = ChangeLog.objects.filter(network_id=network.pk).select_related("actor", "content_type")
    filterset = ChangeLogFilterSet(request.GET, queryset=entries)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "networks/audit_log.html",
        {"network": network, "page": page, "filter": filterset, "page_query": query.urlencode()},
    )


@network_view(check=perms.can_view_audit_log)
def outbox(request, network):
    """What the product sent or is still trying to send, with the SMTP server's last answer."""
    if request.method == "POST":
        count = retry_now(network_id=network.pk)
        messages.success(request, _("%(n)d message(s) queued for the worker to send now.") % {"n": count})
        return redirect("networks:outbox", network_slug=network.slug)
    mail = OutboundEmail.objects.filter(network_id=network.pk).defer(
        "body", "html", "calendar", "attachments"
    )
    status = request.GET.get("status", "")
    if status in OutboundEmail.Status.values:
        mail = mail.filter(status=status)
    page = Paginator(mail, 50).get_page(request.GET.get("page"))
    waiting = OutboundEmail.objects.filter(network_id=network.pk, status=OutboundEmail.Status.QUEUED).count()
    return render(
        request,
        "networks/outbox.html",
        {
            "network": network,
            "page": page,
            "waiting": waiting,
            "status": status,
            "page_query": urlencode({"status": status}) if status else "",
        },
    )


# The shared registry --------------------------------------------------------------------------


def organisations(request):
    if not perms.can_view_registry(request.user):
        raise PermissionDenied(_("The registry is open to members of a network."))
    query = request.GET.get("q", "").strip()
    orgs = Organisation.objects.all()
    if query:
        orgs = orgs.filter(acronym__icontains=query) | orgs.filter(name__icontains=query)
    page = Paginator(orgs.order_by("acronym"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/organisations.html",
        {
            "page": page,
            "query": query,
            "page_query": urlencode({"q": query}) if query else "",
            "can_add": perms.can_add_organisation(request.user),
        },
    )


def organisation_new(request):
    if not perms.can_add_organisation(request.user):
        raise PermissionDenied(_("Only a network's Secretariat adds organisations to the registry."))
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = apply_service(form, lambda: services.create_organisation(by=request.user, **form.cleaned_data))
        if org:
            messages.success(request, _("%(org)s added to the registry.") % {"org": org})
            return redirect("networks:organisations")
    return render(request, "networks/form.html", {"form": form, "title": _("Add an organisation")})
