"""Meeting pages: list, schedule (one or a series), the meeting with its agenda, and agenda changes."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from convene.core import fragments, release_status
from convene.core.documents import download
from convene.library.models import Document
from convene.library.permissions import visible_documents
from convene.networks.models import Body, Representative
from convene.networks.web import apply_service, look_before_you_send, network_view, run_or_report

from . import calendar, documents, services
from . import permissions as perms
from .forms import AgendaItemForm, MeetingForm, PaperForm, ReasonForm, SeriesForm
from .models import AgendaItem, Attendance, CalendarFeed, Meeting, Minutes


def _organisable_bodies(user, network):
    bodies = [b for b in network.bodies.all() if b.is_active and perms.can_organise_meetings(user, b)]
    return network.bodies.filter(pk__in=[b.pk for b in bodies])


@network_view(check=None)
def meeting_list(request, network):
    meetings = perms.visible_meetings(request.user, network).select_related("body")
    body_slug = request.GET.get("body", "")
    rates = None
    if body_slug:
        meetings = meetings.filter(body__slug=body_slug)
        body = network.bodies.filter(slug=body_slug).first()
        if body and perms.can_view_body_meetings(request.user, body):
            rates = services.attendance_rates(body)
    now = timezone.now()
    upcoming = list(meetings.filter(ends_at__gte=now).order_by("starts_at")[:50])
    past = list(meetings.filter(ends_at__lt=now).order_by("-starts_at")[:50])
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "network": network,
            "upcoming": upcoming,
            "past": past,
            "bodies": [b for b in network.bodies.all() if perms.can_view_body_meetings(request.user, b)],
            "body_slug": body_slug,
            "rates": rates,
            "can_schedule": _organisable_bodies(request.user, network).exists(),
        },
    )


def _schedule_form(request, network, initial=None):
    bodies = _organisable_bodies(request.user, network)
    if perms.can_call_extraordinary_meeting(request.user, network):
        # Members of the authority (Kenya: the Executive Committee) may call the plenary together.
        bodies = bodies | network.bodies.filter(kind=Body.Kind.PLENARY)
    return MeetingForm(request.POST or None, network=network, bodies=bodies.distinct(), initial=initial)


@network_view(check=None)
def meeting_new(request, network):
    initial = {"kind": request.GET.get("kind", Meeting.Kind.REGULAR), "body": request.GET.get("body")}
    authority = perms.extraordinary_authority(network)
    if initial["kind"] == Meeting.Kind.EXTRAORDINARY and authority:
        initial["called_by"] = authority.pk
    form = _schedule_form(request, network, initial)
    if not form.fields["body"].queryset.exists():
        raise PermissionDenied(_("You do not organise meetings in this network."))
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        fields = form.meeting_fields()
        allowed = perms.can_organise_meetings(request.user, body) or (
            fields["kind"] == Meeting.Kind.EXTRAORDINARY
            and perms.can_call_extraordinary_meeting(request.user, network)
        )
        if not allowed:
            raise PermissionDenied(_("You cannot schedule meetings of this body."))
        meeting = apply_service(form, lambda: services.schedule_meeting(by=request.user, body=body, **fields))
        if meeting:
            messages.success(request, _("Meeting scheduled."))
            return redirect("meetings:detail", network_slug=network.slug, meeting_id=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"network": network, "form": form, "title": _("Schedule a meeting"), "authority": authority},
    )


@network_view(check=None)
def series_new(request, network):
    bodies = _organisable_bodies(request.user, network)
    if not bodies.exists():
        raise PermissionDenied(_("You do not organise meetings in this network."))
    form = SeriesForm(
        request.POST or None,
        bodies=bodies,
        initial={"body": request.GET.get("body"), "first_day": network.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        series = apply_service(
            form,
            lambda: services.schedule_series(
                by=request.user,
                body=data["body"],
                title=data["title"],
                rrule=data["rrule"],
                first_day=data["first_day"],
                start=data["start"],
                duration=datetime.timedelta(minutes=data["duration"]),
                location=data["location"],
                online_url=data["online_url"],
            ),
        )
        if series:
            messages.success(request, _("%(n)d meetings scheduled.") % {"n": series.meetings.count()})
            return redirect("meetings:list", network_slug=network.slug)
    return render(
        request,
        "meetings/form.html",
        {"network": network, "form": form, "title": _("Schedule a series of meetings")},
    )


def _load(request, network, meeting_id) -> Meeting:
    return perms.get_meeting_for_user(request.user, network, meeting_id)


def _detail_context(request, network, meeting):
    papers = Prefetch("documents", queryset=release_status.with_release(Document.objects.all()))
    items = list(
        meeting.agenda_items.select_related("presenter", "proposed_by", "previous_meeting").prefetch_related(
            papers
        )
    )
    readable = {d.pk for d in visible_documents(request.user, [d for i in items for d in i.documents.all()])}
    for item in items:
        item.papers = [d for d in item.documents.all() if d.pk in readable]
    release_status.annotate(request.user, network, [d for i in items for d in i.papers])
    can_manage = perms.can_manage_meeting(request.user, meeting)
    # The body's seats on the network's date, kept until the network changes or the date does.
    seats = fragments.remembered(
        network,
        "expected-members",
        lambda: services.expected_members(meeting),
        meeting.body_id,
        network.today(),
    )
    records = list(meeting.attendance.select_related("organisation", "person"))
    return {
        "network": network,
        "meeting": meeting,
        "agenda": [i for i in items if i.status == AgendaItem.Status.ACCEPTED],
        "suggestions": [
            i
            for i in items
            if i.status == AgendaItem.Status.PROPOSED and (can_manage or i.proposed_by_id == request.user.pk)
        ],
        "declined": [i for i in items if i.status == AgendaItem.Status.DECLINED],
        "can_manage": can_manage,
        "can_suggest": perms.can_suggest_agenda_item(request.user, meeting),
        "editable": meeting.status in (Meeting.Status.DRAFT, Meeting.Status.CIRCULATED),
        "overlaps": list(services.overlapping(meeting)[:3]) if can_manage else [],
        "total_minutes": sum(
            i.duration_minutes or 0 for i in items if i.status == AgendaItem.Status.ACCEPTED
        ),
        "invitee_count": len(services.invitees(meeting, seats)) if can_manage else 0,
        "attendance": services.attendance_summary(meeting, seats=seats, records=records),
        "present": [a for a in records if a.status == Attendance.Status.PRESENT],
    }


@network_view(check=None)
def meeting_detail(request, network, meeting_id):
    meeting = _load(request, network, meeting_id)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, network, meeting))


def _managed(request, network, meeting_id) -> Meeting:
    meeting = _load(request, network, meeting_id)
    if not perms.can_manage_meeting(request.user, meeting):
        raise PermissionDenied(_("Only the Secretariat and the co-chairs organise this meeting."))
    return meeting


@network_view(check=None)
def meeting_edit(request, network, meeting_id):
    meeting = _managed(request, network, meeting_id)
    local_start = meeting.local_start
    initial = {
        "body": meeting.body_id,
        "kind": meeting.kind,
        "title": meeting.title,
        "day": local_start.date(),
        "start": local_start.time(),
        "end": meeting.local_end.time(),
        "location": meeting.location,
        "online_url": meeting.online_url,
        "unct_meeting": meeting.unct_meeting_id,
        "called_by": meeting.called_by_id,
        "call_reason": meeting.call_reason,
        "external_stakeholders": meeting.external_stakeholders,
    }
    form = MeetingForm(
        request.POST or None,
        network=network,
        bodies=network.bodies.filter(pk=meeting.body_id),
        initial=initial,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form, lambda: services.update_meeting(by=request.user, meeting=meeting, **form.meeting_fields())
        )
    ):
        messages.success(request, _("Meeting updated."))
        return redirect("meetings:detail", network_slug=network.slug, meeting_id=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {
            "network": network,
            "form": form,
            "title": _("Edit %(m)s") % {"m": meeting.title},
            "meeting": meeting,
        },
    )


@network_view(check=None)
def meeting_cancel(request, network, meeting_id):
    meeting = _managed(request, network, meeting_id)
    form = ReasonForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form,
            lambda: services.cancel_meeting(
                by=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(request, _("Meeting cancelled."))
        return redirect("meetings:detail", network_slug=network.slug, meeting_id=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {
            "network": network,
            "form": form,
            "title": _("Cancel %(m)s") % {"m": meeting.title},
            "meeting": meeting,
        },
    )


@require_POST
@network_view(check=None)
def meeting_held(request, network, meeting_id):
    meeting = _managed(request, network, meeting_id)
    if run_or_report(request, lambda: services.mark_held(by=request.user, meeting=meeting)):
        messages.success(request, _("Recorded as held."))
    return redirect("meetings:detail", network_slug=network.slug, meeting_id=meeting.pk)


@network_view(check=None)
def meeting_circulate(request, network, meeting_id):
    """Shows the invitation and its recipients first; sends only when confirmed."""
    meeting = _managed(request, network, meeting_id)
    again = meeting.status == Meeting.Status.CIRCULATED
    return look_before_you_send(
        request,
        network,
        preview=lambda: services.agenda_circulation(meeting),
        send=lambda: services.circulate_agenda(by=request.user, meeting=meeting),
        title=(_("Send the updated agenda of %(m)s") if again else _("Circulate the agenda of %(m)s"))
        % {"m": meeting.title},
        send_label=_("Send the updated agenda") if again else _("Send the invitation"),
        back=reverse("meetings:detail", args=[network.slug, meeting.pk]),
        sent=lambda n: _("Agenda and invitation are being sent to %(n)d people.") % {"n": n},
    )


@network_view(check=None)
def meeting_attendance(request, network, meeting_id):
    """One row per member organisation of the body: present (who), apologies or absent. A refused
    save shows every row as the user left it, the rows in error marked."""
    meeting = _managed(request, network, meeting_id)
    seats = services.expected_members(meeting)
    recorded = {a.organisation_id: a for a in meeting.attendance.select_related("person")}
    errors, row_errors = [], {}
    for seat in seats:
        rec = recorded.get(seat["organisation"].pk)
        seat["value"] = {
            "status": rec.status if rec else "",
            "person": str(rec.person_id or "") if rec else "",
            "designate": rec.designate_name if rec else "",
        }
        seat["people_list"] = [
            (person, Representative.Kind(kind).label)
            for person, kind in sorted(seat["people"].values(), key=lambda p: (p[1], p[0].full_name))
        ]
    if request.method == "POST":
        rows = []
        for seat in seats:
            org = seat["organisation"]
            seat["value"] = value = {
                "status": request.POST.get(f"status-{org.pk}", ""),
                "person": request.POST.get(f"person-{org.pk}", ""),
                "designate": request.POST.get(f"designate-{org.pk}", ""),
            }
            if value["status"] not in Attendance.Status.values:
                continue  # left blank: not recorded
            person = (
                seat["people"].get(int(value["person"]), (None,))[0] if value["person"].isdigit() else None
            )
            if value["person"] and person is None:
                row_errors[org.acronym] = [_("%(org)s: choose one of its representatives.") % {"org": org}]
            rows.append(
                {
                    "organisation": org,
                    "status": value["status"],
                    "person": person,
                    "designate_name": value["designate"],
                }
            )
        if not row_errors:
            try:
                services.record_attendance(by=request.user, meeting=meeting, rows=rows)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    row_errors = {
                        key: [str(m) for e in errs for m in e.messages]
                        for key, errs in exc.error_dict.items()
                    }
                else:
                    errors = exc.messages
            else:
                messages.success(request, _("Attendance saved."))
                return redirect("meetings:detail", network_slug=network.slug, meeting_id=meeting.pk)
    for seat in seats:
        seat["errors"] = row_errors.pop(seat["organisation"].acronym, [])
    errors += [m for problems in row_errors.values() for m in problems]  # rows not on the page
    invalid = bool(errors or any(seat["errors"] for seat in seats))
    return render(
        request,
        "meetings/attendance.html",
        {
            "network": network,
            "meeting": meeting,
            "seats": seats,
            "errors": errors,
            "statuses": Attendance.Status.choices,
        },
        status=422 if invalid else 200,
    )


# Minutes ---------------------------------------------------------------------------------------


def _visible_minutes(request, meeting):
    return perms.visible_minutes(request.user, meeting)


@network_view(check=None)
def meeting_minutes(request, network, meeting_id):
    meeting = _load(request, network, meeting_id)
    can_manage = perms.can_manage_meeting(request.user, meeting)
    minutes = _visible_minutes(request, meeting)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "comment" and minutes and perms.can_suggest_agenda_item(request.user, meeting):
            done = run_or_report(
                request,
                lambda: services.comment_on_minutes(
                    by=request.user, minutes=minutes, text=request.POST.get("text", "")
                ),
            )
            if done:
                messages.success(request, _("Thank you: your comment went to the Secretariat."))
        elif not can_manage:
            raise PermissionDenied(_("Only the Secretariat and the co-chairs keep the minutes."))
        elif action == "start":
            run_or_report(request, lambda: services.start_minutes(by=request.user, meeting=meeting))
        elif minutes is None:
            raise Http404(_("This meeting has no minutes yet."))
        elif action == "save":
            refused = _save_minutes_draft(request, minutes)
            if refused is not None:
                return _minutes_page(
                    request, network, meeting, minutes, can_manage, typed=refused, status=422
                )
        elif action == "circulate":
            deadline = parse_date(request.POST.get("comment_deadline", "") or "")
            if deadline is None:
                messages.error(request, _("Give the date by which members may comment."))
            elif run_or_report(
                request,
                lambda: services.circulate_minutes(
                    by=request.user, minutes=minutes, comment_deadline=deadline
                ),
            ):
                messages.success(request, _("Draft minutes circulated for comments."))
        elif action == "approve":
            at = request.POST.get("at_meeting", "")
            at_meeting = Meeting.objects.filter(pk=at, body=meeting.body).first() if at.isdigit() else None
            if run_or_report(
                request,
                lambda: services.approve_minutes(
                    by=request.user, minutes=minutes, at_meeting=at_meeting, note=request.POST.get("note", "")
                ),
            ):
                messages.success(request, _("Minutes approved."))
        elif action == "disseminate":
            if run_or_report(request, lambda: services.disseminate_minutes(by=request.user, minutes=minutes)):
                messages.success(request, _("Minutes sent to the members."))
        elif action == "correct" and run_or_report(
            request, lambda: services.correct_minutes(by=request.user, minutes=minutes)
        ):
            messages.success(request, _("A correcting version was started."))
        elif action == "revise" and run_or_report(
            request, lambda: services.revise_minutes(by=request.user, minutes=minutes)
        ):
            messages.success(
                request,
                _("A new draft version was started; answer the comments, then circulate it again."),
            )
        return redirect("meetings:minutes", network_slug=network.slug, meeting_id=meeting.pk)
    return _minutes_page(request, network, meeting, minutes, can_manage)


def _save_minutes_draft(request, minutes):
    """Save the draft as typed. Refused, returns what was typed and why, for the page to show it
    again (beside the version now saved when someone else saved first); None once saved."""
    sections = list(minutes.items.all())
    typed = {
        "summary": request.POST.get("summary", ""),
        "items": {
            item.pk: {f: request.POST.get(f"{f}-{item.pk}", "") for f in services.MINUTES_FIELDS}
            for item in sections
        },
    }
    revision = int(request.POST.get("revision", "-1")) if request.POST.get("revision", "").isdigit() else -1
    try:
        services.save_minutes(
            by=request.user,
            minutes=minutes,
            revision=revision,
            summary=typed["summary"],
            items=typed["items"],
        )
    except ValidationError as exc:
        typed["errors"] = exc.messages
        typed["stale"] = (
            any(e.code == "stale" for e in exc.error_list) if hasattr(exc, "error_list") else False
        )
        return typed
    messages.success(request, _("Minutes saved."))
    return None


_MINUTES_FIELD_LABELS = {
    "notes": (gettext_lazy("Notes"), 4),
    "decisions": (gettext_lazy("Decisions taken"), 2),
    "action_points": (gettext_lazy("Action points agreed"), 2),
}


def _minutes_page(request, network, meeting, minutes, can_manage, *, typed=None, status=200):
    """The minutes page; after a refused save, the draft form holds what the user typed, and where
    someone else saved meanwhile, the saved version shows beside it."""
    comments = []
    if minutes:
        if typed:
            minutes.refresh_from_db()  # the revision and text the other editor saved
        comments = minutes.comments.select_related("author")
        if not can_manage:
            comments = comments.filter(author=request.user)
    if minutes and minutes.status in (Minutes.Status.APPROVED, Minutes.Status.DISSEMINATED):
        release_status.annotate(request.user, network, [minutes])  # only approved minutes are released
    later = (
        Meeting.objects.filter(body=meeting.body, starts_at__gt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")[:5]
    )
    return render(
        request,
        "meetings/minutes.html",
        {
            "network": network,
            "meeting": meeting,
            "minutes": minutes,
            "can_manage": can_manage,
            "items": list(minutes.items.all()) if minutes else [],
            "sections": _draft_sections(minutes, typed) if minutes and can_manage else [],
            "typed": typed,
            "comments": list(comments),
            # A revision answers the comments on the version it revises.
            "earlier_comments": list(minutes.corrects.comments.select_related("author"))
            if minutes
            and can_manage
            and minutes.corrects_id
            and minutes.corrects.status == Minutes.Status.REVISED
            else [],
            "can_comment": minutes is not None
            and minutes.status == Minutes.Status.CIRCULATED
            and perms.can_suggest_agenda_item(request.user, meeting),
            "versions": list(meeting.minutes.order_by("version")) if can_manage else [],
            "later_meetings": later,
            "today": network.today(),
        },
        status=status,
    )


def _draft_sections(minutes, typed):
    """Each section of the draft form: its fields with the value to edit (what the user typed, on a
    refused save) and the value saved, which shows beside it where they differ."""
    stale = bool(typed and typed.get("stale"))
    sections = []
    for item in minutes.items.all():
        mine = typed["items"].get(item.pk, {}) if typed else {}
        fields = []
        for name, (label, rows) in _MINUTES_FIELD_LABELS.items():
            saved = getattr(item, name)
            value = mine.get(name, saved)
            fields.append(
                {
                    "name": f"{name}-{item.pk}",
                    "label": label,
                    "rows": rows,
                    "value": value,
                    "saved": saved,
                    "differs": stale and value != saved,
                }
            )
        sections.append({"item": item, "fields": fields})
    summary = typed["summary"] if typed else minutes.summary
    return {
        "summary": summary,
        "summary_differs": stale and summary != minutes.summary,
        "list": sections,
    }


@network_view(check=None)
def meeting_document(request, network, meeting_id, document, fmt):
    """agenda.pdf|docx, minutes.pdf|docx (approved, or the draft for organisers), pack.zip."""
    meeting = _load(request, network, meeting_id)
    if document == "pack":
        pack = documents.meeting_pack(meeting, reader=request.user)
        return download(pack, documents.file_name(meeting, "meeting-pack", "zip"), "application/zip")
    if document == "agenda":
        data = documents.agenda_data(meeting)
    else:
        minutes = _visible_minutes(request, meeting)
        if minutes is None:
            raise Http404(_("This meeting has no minutes you can read yet."))
        data = documents.minutes_data(minutes)
    name = documents.file_name(meeting, document, fmt)
    if fmt == "pdf":
        return download(documents.pdf(data), name, "application/pdf")
    return download(documents.docx(data), name, documents.DOCX_TYPE)


# Personal calendar feed ------------------------------------------------------------------------


def calendar_page(request):
    """The person's private subscription address for Outlook or Google Calendar."""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_feed(user=request.user)
            messages.success(request, _("The calendar address no longer works."))
        else:
            services.renew_calendar_feed(user=request.user)
            messages.success(request, _("A new calendar address was made; the old one no longer works."))
        return redirect("meetings:calendar")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = settings.CONVENE_BASE_URL + reverse("meetings:feed", args=[feed.token]) if feed else ""
    return render(request, "meetings/calendar.html", {"feed": feed, "url": url})


@login_not_required
def calendar_feed(request, token):
    """Every meeting the person may see, from a year ago on; the token is the only key."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404(_("No such calendar."))
    response = HttpResponse(calendar.person_feed(feed.user), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="convene.ics"'
    return response


# Agenda ----------------------------------------------------------------------------------------


def _agenda_response(request, network, meeting):
    """After an agenda change: the agenda partial for htmx, the page otherwise."""
    if request.htmx:
        meeting.refresh_from_db()
        return render(
            request, "meetings/meeting_detail.html#agenda", _detail_context(request, network, meeting)
        )
    return redirect("meetings:detail", network_slug=network.slug, meeting_id=meeting.pk)


@network_view(check=None)
def agenda_item_new(request, network, meeting_id):
    meeting = _load(request, network, meeting_id)
    manage = perms.can_manage_meeting(request.user, meeting)
    if not (manage or perms.can_suggest_agenda_item(request.user, meeting)):
        raise PermissionDenied(_("Only members of %(body)s suggest items.") % {"body": meeting.body})
    form = AgendaItemForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        action = services.add_agenda_item if manage else services.suggest_agenda_item
        if apply_service(form, lambda: action(by=request.user, meeting=meeting, **form.cleaned_data)):
            messages.success(request, _("Item added.") if manage else _("Item suggested to the organisers."))
            return redirect("meetings:detail", network_slug=network.slug, meeting_id=meeting.pk)
    title = _("Add an agenda item") if manage else _("Suggest an agenda item")
    return render(
        request, "meetings/form.html", {"network": network, "form": form, "title": title, "meeting": meeting}
    )


def _item(request, network, meeting_id, item_id) -> AgendaItem:
    meeting = _managed(request, network, meeting_id)
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    item.meeting = meeting
    return item


@network_view(check=None)
def agenda_item_edit(request, network, meeting_id, item_id):
    item = _item(request, network, meeting_id, item_id)
    fields = ("title", "kind", "description", "presenter", "duration_minutes")
    form = AgendaItemForm(
        request.POST or None, network=network, initial={f: getattr(item, f) for f in fields}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_service(
            form, lambda: services.update_agenda_item(by=request.user, item=item, **form.cleaned_data)
        )
    ):
        return redirect("meetings:detail", network_slug=network.slug, meeting_id=meeting_id)
    return render(
        request,
        "meetings/form.html",
        {"network": network, "form": form, "title": _("Edit agenda item"), "meeting": item.meeting},
    )


@network_view(check=None)
def agenda_item_paper(request, network, meeting_id, item_id):
    item = _item(request, network, meeting_id, item_id)
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(
            form,
            lambda: services.attach_paper(
                by=request.user,
                item=item,
                upload=data["file"],
                title=data["title"],
                confidentiality=data["confidentiality"],
            ),
        ):
            messages.success(request, _("Paper attached."))
            return redirect("meetings:detail", network_slug=network.slug, meeting_id=meeting_id)
    return render(
        request,
        "meetings/form.html",
        {
            "network": network,
            "form": form,
            "title": _("Attach a paper to “%(t)s”") % {"t": item.title},
            "meeting": item.meeting,
            "multipart": True,
        },
    )


@require_POST
@network_view(check=None)
def agenda_item_move(request, network, meeting_id, item_id, direction):
    item = _item(request, network, meeting_id, item_id)
    step = -1 if direction == "up" else 1
    run_or_report(request, lambda: services.move_agenda_item(by=request.user, item=item, step=step))
    return _agenda_response(request, network, item.meeting)


@require_POST
@network_view(check=None)
def agenda_item_remove(request, network, meeting_id, item_id):
    item = _item(request, network, meeting_id, item_id)
    run_or_report(request, lambda: services.remove_agenda_item(by=request.user, item=item))
    return _agenda_response(request, network, item.meeting)


@network_view(check=None)
def agenda_item_decide(request, network, meeting_id, item_id):
    item = _item(request, network, meeting_id, item_id)
    accept = request.POST.get("accept") == "1"
    form = ReasonForm(request.POST or None)
    if (
        request.method == "POST"
        and (accept or form.is_valid())
        and apply_service(
            form,
            lambda: services.decide_suggestion(
                by=request.user, item=item, accept=accept, reason=request.POST.get("reason", "")
            ),
        )
    ):
        return redirect("meetings:detail", network_slug=network.slug, meeting_id=meeting_id)
    return render(
        request,
        "meetings/form.html",
        {
            "network": network,
            "form": form,
            "title": _("Decline “%(t)s”") % {"t": item.title},
            "meeting": item.meeting,
        },
    )
