from django.utils import timezone

from convene.networks.panels import panel

from .permissions import can_organise_meetings, visible_meetings


@panel
def upcoming_meetings(request, network, structure):
    meetings = list(
        visible_meetings(request.user, network)
        .filter(ends_at__gte=timezone.now())
        .exclude(status="cancelled")
        .select_related("body")
        .order_by("starts_at")[:5]
    )
    can_schedule = any(can_organise_meetings(request.user, b) for b in structure.bodies)
    return {"template": "meetings/_upcoming_panel.html", "meetings": meetings, "can_schedule": can_schedule}
