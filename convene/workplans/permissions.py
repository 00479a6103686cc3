"""Who sees and shapes workplans. Workplans are internal to the network; the Secretariat coordinates
them (and a working group's co-chairs their group's); lead organisations report progress."""

from django.http import Http404
from django.utils.translation import gettext as _

from convene.networks.models import Body, Membership, Network, Representative
from convene.networks.permissions import access_for

from .models import Activity, Workplan


def can_view_workplans(user, network: Network) -> bool:
    return access_for(user, network).is_member


def can_manage_workplans(user, network: Network, working_group: Body | None = None) -> bool:
    access = access_for(user, network)
    if access.is_secretariat:
        return True
    return working_group is not None and (
        (working_group.pk, Body.Kind.WORKING_GROUP, Membership.Role.CO_CHAIR) in access.seats
    )


def can_manage_workplan(user, workplan: Workplan) -> bool:
    return can_manage_workplans(user, workplan.network, workplan.working_group)


def can_report_progress(user, activity: Activity) -> bool:
    """The lead organisation's representatives (in any body of the network) and the Secretariat."""
    network = activity.workplan.network
    if can_manage_workplan(user, activity.workplan):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Representative.objects.current(on=network.today())
        .filter(
            person=user,
            membership__body__network=network,
            membership__organisation_id=activity.lead_organisation_id,
        )
        .exists()
    )


def get_workplan_for_user(user, network: Network, workplan_id: int) -> Workplan:
    workplan = (
        Workplan.objects.filter(network=network, pk=workplan_id)
        .select_related("working_group", "decision", "proposal")
        .first()
    )
    if workplan is None or not can_view_workplans(user, network):
        raise Http404(_("No such workplan in this network."))
    workplan.network = network
    return workplan


def get_activity_for_user(user, network: Network, activity_id: int) -> Activity:
    activity = (
        Activity.objects.filter(workplan__network=network, pk=activity_id)
        .select_related("workplan", "workplan__working_group", "lead_organisation", "working_group")
        .first()
    )
    if activity is None or not can_view_workplans(user, network):
        raise Http404(_("No such activity in this network."))
    activity.workplan.network = network
    return activity


def can_consult_members(user, workplan: Workplan) -> bool:
    """The Secretariat asks the members for their views on the network's draft workplan."""
    return can_manage_workplan(user, workplan)


def can_give_view(user, workplan: Workplan, organisation) -> bool:
    """A current representative of a member organisation of the plenary speaks for it."""
    from .queries import organisations_of

    return organisation.pk in {o.pk for o in organisations_of(user, workplan)}
