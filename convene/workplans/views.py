"""Workplan pages: the list by year, a workplan with its activities, an activity with its indicators
and quarterly progress, and the lifecycle (put for adoption, review, close)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.core import fragments
from convene.core.documents import download, download_name
from convene.core.spreadsheets import CSV_TYPE
from convene.networks.models import Body
from convene.networks.web import apply_service, network_view, run_or_report

from . import charts, queries, services, spreadsheet
from . import permissions as perms
from .forms import (
    ActivityForm,
    ImportForm,
    IndicatorForm,
    MemberViewForm,
    ProgressForm,
    SubmitForm,
    WorkplanEditForm,
    WorkplanForm,
)
from .models import Activity, ProgressUpdate, Workplan

workplans_view = network_view(check=perms.can_view_workplans)


def _to_workplan(workplan):
    return redirect("workplans:detail", network_slug=workplan.network.slug, workplan_id=workplan.pk)


def _to_activity(activity):
    return redirect(
        "workplans:activity", network_slug=activity.workplan.network.slug, activity_id=activity.pk
    )


def _form(request, network, form, title, back, multipart=False, note=""):
    return render(
        request,
        "workplans/form.html",
        {
            "network": network,
            "form": form,
            "title": title,
            "back": back,
            "multipart": multipart,
            "note": note,
        },
    )


@workplans_view
def workplan_list(request, network):
    workplans = (
        Workplan.objects.filter(network=network)
        .select_related("working_group", "decision")
        .annotate(n=Count("activities"), budget=Sum("activities__budget"), funded=Sum("activities__funded"))
        .order_by("-year", "working_group__name")
    )
    groups = network.bodies.filter(kind=Body.Kind.WORKING_GROUP, abolished_on__isnull=True)
    manageable = [g for g in groups if perms.can_manage_workplans(request.user, network, g)]
    can_create = perms.can_manage_workplans(request.user, network) or bool(manageable)
    form = None
    if can_create:
        allowed = (
            groups
            if perms.can_manage_workplans(request.user, network)
            else groups.filter(pk__in=[g.pk for g in manageable])
        )
        form = WorkplanForm(request.POST or None, groups=allowed, initial={"year": network.today().year + 1})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if not perms.can_manage_workplans(request.user, network, data["working_group"]):
                raise PermissionDenied(_("You do not coordinate this workplan."))
            workplan = apply_service(
                form, lambda: services.create_workplan(by=request.user, network=network, **data)
            )
            if workplan:
                messages.success(request, _("Workplan created."))
                return _to_workplan(workplan)
    elif request.method == "POST":
        raise PermissionDenied(_("The Secretariat coordinates workplans."))
    return render(
        request, "workplans/workplan_list.html", {"network": network, "workplans": workplans, "form": form}
    )


@workplans_view
def workplan_detail(request, network, workplan_id):
    workplan = perms.get_workplan_for_user(request.user, network, workplan_id)
    return _render_detail(request, network, workplan)


def _render_detail(request, network, workplan: Workplan, view_form=None):
    return render(
        request,
        "workplans/workplan_detail.html",
        {
            "network": network,
            "workplan": workplan,
            "activities_table": fragments.cached(
                network, "workplan-activities", lambda: _activities_table(network, workplan), workplan.pk
            ),
            "can_manage": perms.can_manage_workplan(request.user, workplan),
            "deciding_body": services.deciding_body(network),
            **_consultation_context(request, workplan, view_form),
        },
    )


def _activities_table(network, workplan: Workplan) -> str:
    """The activities with their tags, progress and totals: the same for every reader."""
    activities = _activities_with_progress(workplan)
    totals = {k: sum(getattr(a, k) for a in activities) for k in ("budget", "funded", "pipeline")}
    totals["gap"] = sum(a.gap for a in activities)
    context = {"network": network, "activities": activities, "totals": totals}
    return render_to_string("workplans/_activities.html", context)


def _consultation_context(request, workplan: Workplan, view_form=None) -> dict:
    """The members' views on the draft, where the charter asks for them (a workplan decided
    without a consultation has none to show)."""
    if workplan.consultation_opened_at is None and workplan.status != Workplan.Status.DRAFT:
        return {}
    if not queries.consults_members(workplan):
        return {}
    consultation = queries.consultation(workplan)
    mine = queries.organisations_of(request.user, workplan) if workplan.consultation_open else []
    if mine and view_form is None:
        given = {v.organisation_id: v.text for v in consultation.views}
        first = mine[0]
        view_form = MemberViewForm(
            organisations=mine, initial={"organisation": first.pk, "text": given.get(first.pk, "")}
        )
    return {
        "consultation": consultation,
        "view_form": view_form if mine else None,
        "can_consult": perms.can_consult_members(request.user, workplan),
    }


@require_POST
@workplans_view
def workplan_consult(request, network, workplan_id):
    workplan = perms.get_workplan_for_user(request.user, network, workplan_id)
    if not perms.can_consult_members(request.user, workplan):
        raise PermissionDenied(_("The Secretariat asks the members for their views."))
    sent = run_or_report(request, lambda: services.open_consultation(by=request.user, workplan=workplan))
    if sent is not None:
        messages.success(request, _("The members are asked for their views (%(n)d people).") % {"n": sent})
    return _to_workplan(workplan)


@require_POST
@workplans_view
def workplan_give_view(request, network, workplan_id):
    workplan = perms.get_workplan_for_user(request.user, network, workplan_id)
    mine = queries.organisations_of(request.user, workplan)
    if not mine:
        raise PermissionDenied(_("Representatives of the member organisations give their views."))
    form = MemberViewForm(request.POST, organisations=mine)
    if form.is_valid() and apply_service(
        form,
        lambda: services.give_view(
            by=request.user,
            workplan=workplan,
            organisation=form.cleaned_data["organisation"],
            text=form.cleaned_data["text"],
        ),
    ):
        messages.success(request, _("Your organisation's view is recorded."))
        return _to_workplan(workplan)
    # What was typed stays on the page with the error.
    return _render_detail(request, network, workplan, view_form=form)


def _activities_with_progress(workplan: Workplan) -> list[Activity]:
    """The activities with their tags and their latest progress (a fixed number of queries)."""
    latest = ProgressUpdate.objects.order_by("-year", "-quarter")
    activities = list(
        workplan.activities.select_related("lead_organisation", "working_group").prefetch_related(
            "gcm_objectives", "sdg_targets", "participants", Prefetch("progress", queryset=latest)
        )
    )
    for a in activities:
        a.latest = next(iter(a.progress.all()), None)
    return activities


@workplans_view
def workplan_charts(request, network, workplan_id):
    workplan = perms.get_workplan_for_user(request.user, network, workplan_id)
    pictures = fragments.cached(network, "workplan-charts", lambda: _charts(network, workplan), workplan.pk)
    return render(
        request, "workplans/charts.html", {"network": network, "workplan": workplan, "pictures": pictures}
    )


def _charts(network, workplan: Workplan) -> str:
    """The workplan's pictures: the same for every reader."""
    activities = _activities_with_progress(workplan)
    context = {
        "network": network,
        "workplan": workplan,
        "matrix": charts.coverage_matrix(activities),
        "timeline": charts.timeline(activities),
        "by_objective": charts.funding_by_objective(activities),
        "by_group": charts.funding_by_working_group(activities),
        "progress": charts.progress_by_working_group(activities),
    }
    return render_to_string("workplans/_charts.html", context)


def _managed(request, network, workplan_id) -> Workplan:
    workplan = perms.get_workplan_for_user(request.user, network, workplan_id)
    if not perms.can_manage_workplan(request.user, workplan):
        raise PermissionDenied(_("You do not coordinate this workplan."))
    return workplan


@workplans_view
def workplan_edit(request, network, workplan_id):
    workplan = _managed(request, network, workplan_id)
    form = WorkplanEditForm(
        request.POST or None, initial={"title": workplan.title, "summary": workplan.summary}
    )
    if request.method == "POST" and form.is_valid():
        changed = {k: form.cleaned_data[k] for k in form.changed_data}
        if apply_service(
            form, lambda: services.update_workplan(by=request.user, workplan=workplan, **changed)
        ):
            messages.success(request, _("Workplan updated."))
            return _to_workplan(workplan)
    return _form(request, network, form, _("Edit the workplan"), workplan)


@workplans_view
def workplan_submit(request, network, workplan_id):
    workplan = _managed(request, network, workplan_id)
    form = SubmitForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        proposal = apply_service(
            form, lambda: services.submit_workplan(by=request.user, workplan=workplan, **form.cleaned_data)
        )
        if proposal:
            messages.success(request, _("Put to %(body)s for adoption.") % {"body": proposal.body})
            return redirect("decisions:proposal", network_slug=network.slug, proposal_id=proposal.pk)
    title = _("Put the workplan to %(body)s for adoption") % {"body": services.deciding_body(network)}
    # The deciding body reads the members' views with the proposal; the Secretariat sees them here.
    note = services.views_summary(workplan) if queries.consults_members(workplan) else ""
    return _form(request, network, form, title, workplan, note=note)


@require_POST
@workplans_view
def workplan_status(request, network, workplan_id, step):
    workplan = _managed(request, network, workplan_id)
    service = {"review": services.start_review, "close": services.close_workplan}[step]
    if run_or_report(request, lambda: service(by=request.user, workplan=workplan)):
        messages.success(request, workplan.get_status_display())
    return _to_workplan(workplan)


# Activities --------------------------------------------------------------------------------------


@workplans_view
def activity_new(request, network, workplan_id):
    workplan = _managed(request, network, workplan_id)
    initial = {"working_group": workplan.working_group_id, "code": str(workplan.activities.count() + 1)}
    form = ActivityForm(request.POST or None, network=network, initial=initial)
    if request.method == "POST" and form.is_valid():
        activity = apply_service(
            form, lambda: services.add_activity(by=request.user, workplan=workplan, **form.values())
        )
        if activity:
            messages.success(request, _("Activity added."))
            return _to_workplan(workplan)
    return _form(request, network, form, _("New activity"), workplan)


@workplans_view
def activity_detail(request, network, activity_id):
    activity = perms.get_activity_for_user(request.user, network, activity_id)
    can_report = perms.can_report_progress(request.user, activity)
    today = network.today()
    progress_form = ProgressForm(initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1})
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied(_("The lead organisation reports progress."))
        progress_form = ProgressForm(request.POST)
        if progress_form.is_valid() and apply_service(
            progress_form,
            lambda: services.report_progress(
                by=request.user, activity=activity, **progress_form.cleaned_data
            ),
        ):
            messages.success(request, _("Progress recorded."))
            return _to_activity(activity)
    return render(
        request,
        "workplans/activity_detail.html",
        {
            "network": network,
            "activity": activity,
            "workplan": activity.workplan,
            "participants": list(activity.participants.all()),
            "gcm": list(activity.gcm_objectives.all()),
            "principles": list(activity.guiding_principles.all()),
            "sdgs": list(activity.sdg_targets.all()),
            "indicators": list(activity.indicators.all()),
            "progress": list(activity.progress.select_related("author")),
            "progress_form": progress_form if can_report else None,
            "can_manage": perms.can_manage_workplan(request.user, activity.workplan),
        },
    )


def _managed_activity(request, network, activity_id) -> Activity:
    activity = perms.get_activity_for_user(request.user, network, activity_id)
    if not perms.can_manage_workplan(request.user, activity.workplan):
        raise PermissionDenied(_("You do not coordinate this workplan."))
    return activity


@workplans_view
def activity_edit(request, network, activity_id):
    activity = _managed_activity(request, network, activity_id)
    form = ActivityForm(request.POST or None, instance=activity, network=network)
    if request.method == "POST" and form.is_valid():
        changed = {k: form.cleaned_data[k] for k in form.changed_data}
        if apply_service(
            form, lambda: services.update_activity(by=request.user, activity=activity, **changed)
        ):
            messages.success(request, _("Activity updated."))
            return _to_activity(activity)
    return _form(request, network, form, _("Edit %(a)s") % {"a": activity}, activity.workplan)


@require_POST
@workplans_view
def activity_remove(request, network, activity_id):
    activity = _managed_activity(request, network, activity_id)
    workplan = activity.workplan
    if run_or_report(request, lambda: services.remove_activity(by=request.user, activity=activity) or True):
        messages.success(request, _("Activity removed."))
    return _to_workplan(workplan)


@workplans_view
def indicator_form(request, network, activity_id, indicator_id=None):
    activity = perms.get_activity_for_user(request.user, network, activity_id)
    if not perms.can_report_progress(request.user, activity):
        raise PermissionDenied(_("The lead organisation keeps the indicators."))
    indicator = None
    if indicator_id is not None:
        indicator = activity.indicators.filter(pk=indicator_id).first()
        if indicator is None:
            raise Http404(_("No such indicator."))
    initial = {}
    if indicator is not None:
        initial = {
            "female": indicator.actual_by_sex.get("female"),
            "male": indicator.actual_by_sex.get("male"),
        }
    form = IndicatorForm(request.POST or None, instance=indicator, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if indicator is None:
            call = lambda: services.add_indicator(by=request.user, activity=activity, **values)  # noqa: E731
        else:
            call = lambda: services.update_indicator(by=request.user, indicator=indicator, **values)  # noqa: E731
        if apply_service(form, call):
            messages.success(request, _("Indicator saved."))
            return _to_activity(activity)
    title = _("Indicator of %(a)s") % {"a": activity}
    return render(
        request,
        "workplans/form.html",
        {"network": network, "form": form, "title": title, "back": activity.workplan, "activity": activity},
    )


# Spreadsheets -----------------------------------------------------------------------------------


@workplans_view
def template_xlsx(request, network):
    name = download_name(network, "workplan-template", network.today(), "xlsx")
    return download(spreadsheet.export_xlsx(None, network=network), name, spreadsheet.XLSX_TYPE)


@workplans_view
def workplan_export(request, network, workplan_id, fmt):
    """`kenya-workplan-2027-2026-12-04.xlsx`: the workplan's year (and working group), then the
    day of the export (the network's today)."""
    workplan = perms.get_workplan_for_user(request.user, network, workplan_id)
    what = f"workplan-{workplan.year}"
    if workplan.working_group_id:
        what += f"-{workplan.working_group.slug}"
    if fmt == "uninfo":
        what += "-uninfo"
    name = download_name(network, what, network.today(), "csv" if fmt == "csv" else "xlsx")
    if fmt == "csv":
        return download(spreadsheet.export_csv(workplan), name, CSV_TYPE)
    if fmt == "uninfo":
        return download(spreadsheet.export_uninfo(workplan), name, spreadsheet.XLSX_TYPE)
    return download(spreadsheet.export_xlsx(workplan), name, spreadsheet.XLSX_TYPE)


@workplans_view
def workplan_import(request, network, workplan_id):
    workplan = _managed(request, network, workplan_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = spreadsheet.import_file(
                by=request.user, workplan=workplan, name=upload.name, content=upload.read()
            )
        except spreadsheet.ImportRefused as exc:
            report = exc.report
        except ValidationError as exc:
            form.add_error("file", exc)
        if report is not None and report.ok:
            messages.success(
                request,
                _("Imported: %(c)d activities added, %(u)d updated.")
                % {"c": report.created, "u": report.updated},
            )
            return _to_workplan(workplan)
    return render(
        request,
        "workplans/import.html",
        {"network": network, "workplan": workplan, "form": form, "report": report},
        status=422 if report is not None and not report.ok else 200,
    )
