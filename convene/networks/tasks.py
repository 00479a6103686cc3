"""Background work of the networks app, run by the task worker, never in the request."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from convene.core.audit import record_change
from convene.core.models import ChangeLog

from . import exports
from .models import Network
from .queries import load_structure


def recipients(structure) -> list[str]:
    emails = {
        r.person.email
        for body in structure.bodies
        for m in body.current_memberships
        for r in m.representatives.all()
        if r.person.is_active
    }
    return sorted(emails)


@task()
def send_members_list(network_id: int) -> int:
    """E-mail the current members list (XLSX) to every representative of the network."""
    network = Network.objects.get(pk=network_id)
    structure = load_structure(network)
    to = recipients(structure)
    if not to:
        return 0
    message = EmailMessage(
        subject=_("%(network)s — members list, %(date)s")
        % {"network": network, "date": timezone.localdate()},
        body=_(
            "Dear colleagues,\n\nAttached is the current members list of %(network)s: bodies, member "
            "organisations, roles and representatives.\nPlease tell the Secretariat of any change.\n\n"
            "This list is for internal use of the network.\n"
        )
        % {"network": network},
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[settings.DEFAULT_FROM_EMAIL],
        bcc=to,
    )
    message.attach(f"{network.slug}-members.xlsx", exports.members_xlsx(structure), exports.XLSX_TYPE)
    message.send()
    return len(to)


def share_members_list_now(*, network: Network, by) -> int:
    """Record the sharing (the charter's rule) and queue the e-mail; returns the recipient count."""
    count = len(recipients(load_structure(network)))
    with transaction.atomic():
        before = network.members_list_shared_at
        network.members_list_shared_at = timezone.now()
        network.save(update_fields=["members_list_shared_at", "updated_at"])
        record_change(
            actor=by,
            obj=network,
            action=ChangeLog.Action.UPDATE,
            network_id=network.pk,
            changes={
                "members_list_shared_at": [
                    str(before) if before else None,
                    str(network.members_list_shared_at),
                ]
            },
        )
        transaction.on_commit(lambda: send_members_list.enqueue(network.pk))
    return count
