from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.networks.panels import Attention, attention, panel
from convene.networks.permissions import access_for

from .models import AgendaItem, Meeting, Minutes, MinutesComment
from .monitoring import facts
from .permissions import can_organise_meetings, can_view_body_meetings


@panel
def upcoming_meetings(request, network, structure):
    """The next five meetings the user may see, from the meetings the rule monitor already loaded."""
    now = timezone.now()
    bodies = {b.pk: b for b in structure.bodies if can_view_body_meetings(request.user, b)}
    meetings = [m for m in facts(structure) if m.ends_at >= now and m.body_id in bodies][:5]
    for m in meetings:
        m.body = bodies[m.body_id]
    can_schedule = any(can_organise_meetings(request.user, b) for b in structure.bodies)
    return {"template": "meetings/_upcoming_panel.html", "meetings": meetings, "can_schedule": can_schedule}


@attention
def owed_on_meetings(request, network, structure, limit):
    """In one query: minutes circulated in a body where the user holds a seat, still open for
    comments, on which they have not commented; and, for the Secretariat, agenda items members
    suggested for a meeting still to be held."""
    access = access_for(request.user, network)
    if not access.body_ids:
        return
    mine = MinutesComment.objects.filter(minutes=OuterRef("pk"), author=request.user)
    open_minutes = (
        Minutes.objects.filter(
            meeting=OuterRef("pk"), status=Minutes.Status.CIRCULATED, comment_deadline__gte=network.today()
        )
        .exclude(Exists(mine))
        .order_by("-version")
    )
    meetings = Meeting.objects.filter(network=network).annotate(
        comment_by=Subquery(open_minutes.values("comment_deadline")[:1])
    )
    owed = Q(body_id__in=access.body_ids, comment_by__isnull=False)
    if access.is_secretariat:
        proposed = AgendaItem.objects.filter(meeting=OuterRef("pk"), status=AgendaItem.Status.PROPOSED)
        meetings = meetings.annotate(
            suggestion=Subquery(proposed.order_by("order", "pk").values("title")[:1]),
            suggestions=Subquery(proposed.order_by().values("meeting").annotate(n=Count("pk")).values("n")),
        )
        owed |= Q(
            suggestion__isnull=False,
            status__in=[Meeting.Status.DRAFT, Meeting.Status.CIRCULATED],
            ends_at__gte=timezone.now(),
        )
    for m in meetings.filter(owed).select_related("body").order_by("starts_at", "pk")[:limit]:
        if m.comment_by and m.body_id in access.body_ids:
            yield Attention(
                kind=_("Comments on the draft minutes"),
                title=m.title,
                where=m.body.tr.name,
                url=reverse("meetings:minutes", args=[network.slug, m.pk]),
                due=m.comment_by,
            )
        if getattr(m, "suggestion", None):
            more = m.suggestions - 1
            yield Attention(
                kind=_("Agenda suggestions to review"),
                title=m.suggestion
                if not more
                else _("%(title)s and %(n)d more") % {"title": m.suggestion, "n": more},
                where=f"{m.title} ({m.body.tr.name})",
                url=reverse("meetings:detail", args=[network.slug, m.pk]),
                due=m.starts_at,
            )
