from django.utils import timezone

from convene.networks.panels import panel

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
