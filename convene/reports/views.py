"""Report pages: the list and a new report, a report with its live preview and narrative, issuing,
and the issued versions as PDF and Word."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from convene.core import release_status
from convene.core.documents import download
from convene.networks.permissions import access_for, networks_for
from convene.networks.web import apply_service, look_before_you_send, network_view

from . import documents, rollup, services
from . import permissions as perms
from .forms import NarrativeForm, ReportForm
from .models import SECTIONS, Report

reports_view = network_view(check=perms.can_view_reports)


def _to_report(report):
    return redirect("reports:detail", network_slug=report.network.slug, report_id=report.pk)


@reports_view
def report_list(request, network):
    can_manage = perms.can_manage_reports(request.user, network)
    form = ReportForm(request.POST or None, initial={"year": network.today().year}) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("The Secretariat prepares the reports."))
        if form.is_valid():
            report = apply_service(
                form, lambda: services.create_report(by=request.user, network=network, **form.cleaned_data)
            )
            if report:
                messages.success(request, _("Report created: write its narrative, then issue it."))
                return _to_report(report)
    reports = Report.objects.filter(network=network).prefetch_related("versions")
    return render(request, "reports/report_list.html", {"network": network, "reports": reports, "form": form})


@reports_view
def report_detail(request, network, report_id):
    report = perms.get_report_for_user(request.user, network, report_id)
    can_manage = perms.can_manage_reports(request.user, network)
    form = None
    if can_manage:
        initial = {"title": report.title, "recipients": report.recipients}
        initial |= {f"section_{k}": report.narrative.get(k, "") for k, _label in SECTIONS}
        form = NarrativeForm(request.POST or None, initial=initial)
        if (
            request.method == "POST"
            and form.is_valid()
            and apply_service(
                form, lambda: services.update_report(by=request.user, report=report, **form.values())
            )
        ):
            messages.success(request, _("Report saved."))
            return _to_report(report)
    elif request.method == "POST":
        raise PermissionDenied(_("The Secretariat prepares the reports."))
    versions = list(release_status.with_release(report.versions.select_related("issued_by")))
    release_status.annotate(request.user, network, versions)
    return render(
        request,
        "reports/report_detail.html",
        {
            "network": network,
            "report": report,
            "document": services.preview(report),
            "versions": versions,
            "form": form,
            "can_manage": can_manage,
        },
    )


@reports_view
def report_issue(request, network, report_id):
    """Shows the e-mail and its recipients first; issues and sends only when confirmed."""
    report = perms.get_report_for_user(request.user, network, report_id)
    if not perms.can_manage_reports(request.user, network):
        raise PermissionDenied(_("The Secretariat issues the reports."))
    return look_before_you_send(
        request,
        network,
        preview=lambda: services.issue_message(report),
        send=lambda: services.issue_report(by=request.user, report=report),
        title=_("Issue %(title)s") % {"title": report.title},
        send_label=_("Issue and send"),
        back=reverse("reports:detail", args=[network.slug, report.pk]),
        sent=lambda version: (
            _("Version %(v)d issued and sent to %(n)d recipients.")
            % {"v": version.version, "n": len(report.recipients)}
        ),
    )


@reports_view
def report_download(request, network, report_id, version, fmt):
    report = perms.get_report_for_user(request.user, network, report_id)
    issued = report.versions.filter(version=version).first()
    if issued is None:
        raise Http404(_("No such version of this report."))
    data = documents.in_language(issued.data)
    if fmt == "pdf":
        content, mimetype = documents.pdf(data), "application/pdf"
    else:
        content, mimetype = documents.docx(data), documents.DOCX_TYPE
    return download(content, documents.file_name(report, issued.version, fmt), mimetype)


def across_networks(request):
    """The roll-up of every network the user may read (a regional or global coordinator's view)."""
    networks = [n for n in networks_for(request.user) if access_for(request.user, n).is_member]
    if not networks:
        raise Http404(_("You read no network."))
    today = max(n.today() for n in networks)
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    return render(
        request,
        "reports/rollup.html",
        {
            "data": rollup.rollup(networks, year),
            "year": year,
            "years": range(today.year - 3, today.year + 2),
        },
    )
