"""Reports are internal to the network until issued to their recipients; the Secretariat writes them."""

from django.http import Http404
from django.utils.translation import gettext as _

from convene.networks.models import Network
from convene.networks.permissions import access_for

from .models import Report


def can_view_reports(user, network: Network) -> bool:
    return access_for(user, network).is_member


def can_manage_reports(user, network: Network) -> bool:
    return access_for(user, network).is_secretariat


def get_report_for_user(user, network: Network, report_id: int) -> Report:
    report = Report.objects.filter(network=network, pk=report_id).first()
    if report is None or not can_view_reports(user, network):
        raise Http404(_("No such report in this network."))
    report.network = network
    return report
