"""The charter's regular briefings and statements, measured from the delivery records."""

from django.utils.translation import gettext as _

from convene.core.dates import add_months, show_date
from convene.networks.models import Rule
from convene.networks.monitoring import evaluator
from convene.networks.queries import Structure

from .models import Delivery

INTERVAL_MONTHS = 3  # when the charter sets no period


@evaluator(Rule.Kind.BRIEFINGS)
def regular_briefings(rule: Rule, structure: Structure):
    """A statement delivered by the rule's body (Kenya: the Coordinator and Secretariat; Kazakhstan:
    the co-chairs) within the interval: missed once the network has gone longer without; due while
    a young network has not delivered its first one yet."""
    network = structure.network
    interval = int((rule.params or {}).get("interval_months", INTERVAL_MONTHS))
    today = network.today()
    deliveries = Delivery.objects.filter(statement__network=network)
    body = next((b for b in structure.bodies if b.pk == rule.body_id), None)
    if body is not None:
        deliveries = deliveries.filter(
            organisation_id__in=[m.organisation_id for m in body.current_memberships]
        )
    last = deliveries.order_by("-delivered_on").values_list("delivered_on", flat=True).first()
    if last is not None and add_months(last, interval) >= today:
        return "met", _("Last delivered on %(d)s; the next by %(n)s.") % {
            "d": show_date(last),
            "n": show_date(add_months(last, interval)),
        }
    since = add_months(today, -interval)
    if last is None and network.today(network.created_at) > since:
        return "due", _("Nothing delivered yet: the first by %(n)s.") % {
            "n": show_date(add_months(network.today(network.created_at), interval))
        }
    return "missed", _("Nothing delivered since %(d)s.") % {"d": show_date(last or since)}
