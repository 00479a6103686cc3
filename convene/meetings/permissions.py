"""Who sees and organises meetings. Meeting information is internal to the network; a working
group's meetings are seen by the group's members and the Secretariat only."""

from django.http import Http404
from django.utils.translation import gettext as _

from convene.networks.models import Body, Membership, Network, Rule
from convene.networks.permissions import access_for

from .models import Meeting, Minutes


def can_view_body_meetings(user, body: Body) -> bool:
    access = access_for(user, body.network)
    if body.kind == Body.Kind.WORKING_GROUP:
        return access.is_secretariat or body.pk in access.body_ids
    return access.is_member


def can_view_meeting(user, meeting: Meeting) -> bool:
    return can_view_body_meetings(user, meeting.body)


def can_organise_meetings(user, body: Body) -> bool:
    """The Secretariat organises; co-chairs convene (the network's co-chairs, or the group's own)."""
    access = access_for(user, body.network)
    if access.is_secretariat:
        return True
    if body.kind == Body.Kind.WORKING_GROUP:
        return (body.pk, Body.Kind.WORKING_GROUP, Membership.Role.CO_CHAIR) in access.seats
    return any(kind == Body.Kind.CO_CHAIRS for _b, kind, _r in access.seats)


def can_manage_meeting(user, meeting: Meeting) -> bool:
    return can_organise_meetings(user, meeting.body)


def extraordinary_authority(network: Network) -> Body | None:
    """The body the charter lets call extraordinary meetings (Kenya: the Executive Committee)."""
    rule = network.rules.filter(kind=Rule.Kind.EXTRAORDINARY_MEETING).select_related("authority").first()
    return rule.authority if rule else None


def can_call_extraordinary_meeting(user, network: Network) -> bool:
    """Members of the authority the charter names; the Secretariat records a call on its behalf."""
    access = access_for(user, network)
    authority = extraordinary_authority(network)
    if access.is_secretariat:
        return True
    return authority is not None and authority.pk in access.body_ids


def can_suggest_agenda_item(user, meeting: Meeting) -> bool:
    access = access_for(user, meeting.network)
    return meeting.body_id in access.body_ids or (
        meeting.body.kind != Body.Kind.WORKING_GROUP and access.is_member
    )


def visible_minutes(user, meeting: Meeting) -> Minutes | None:
    """The version of the minutes this user reads: drafts are the organisers'; from circulation on,
    everyone who may see the meeting reads them (while a revision or a correction is in draft, the
    version before it)."""
    versions = meeting.minutes.order_by("-version")
    if not can_manage_meeting(user, meeting):
        versions = versions.exclude(status=Minutes.Status.DRAFT)
    return versions.first()


def get_meeting_for_user(user, network: Network, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.filter(network=network, pk=meeting_id).select_related("body", "series").first()
    if meeting is not None:
        meeting.network = meeting.body.network = network  # already loaded: no second query for it
    if meeting is None or not can_view_meeting(user, meeting):
        raise Http404(_("No such meeting in this network."))
    return meeting


def visible_meetings(user, network: Network):
    """The network's meetings this user may see: working groups' only where they sit."""
    access = access_for(user, network)
    meetings = Meeting.objects.filter(network=network)
    if access.is_secretariat:
        return meetings
    if not access.is_member:
        return meetings.filter(body_id__in=access.body_ids)
    return meetings.exclude(body__kind=Body.Kind.WORKING_GROUP) | meetings.filter(body_id__in=access.body_ids)
