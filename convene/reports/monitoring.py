"""The charter's reporting rule, measured from the reports issued here (Kenya: periodic reports to
the UNCT and the Government). Registered with the network's rule monitor when the app loads."""

import datetime

from django.db.models import Max
from django.utils.translation import gettext as _

from convene.core.dates import add_months, show_date
from convene.networks.models import Rule
from convene.networks.monitoring import SEVERITY, evaluator
from convene.networks.queries import Structure

from .models import Report, ReportVersion

INTERVAL_MONTHS = 6  # when the charter sets no period


@evaluator(Rule.Kind.REPORTING)
def periodic_reports(rule: Rule, structure: Structure):
    """Each audience the charter names has been issued a report within the interval: missed once
    one has gone longer without; due while a young network has not issued its first one yet."""
    params = rule.params or {}
    audiences = params.get("audiences") or list(Report.Audience.values)
    interval = int(params.get("interval_months", INTERVAL_MONTHS))
    network = structure.network
    today = network.today()
    since = add_months(today, -interval)
    last = dict(
        ReportVersion.objects.filter(report__network=network, report__audience__in=audiences)
        .values_list("report__audience")
        .annotate(last=Max("issued_at"))
    )
    labels = dict(Report.Audience.choices)
    results = []
    for audience in audiences:
        name = labels.get(audience, audience)
        issued: datetime.datetime | None = last.get(audience)
        if issued and network.today(issued) > since:
            results.append(
                (
                    "met",
                    _("%(a)s: issued on %(d)s, next by %(n)s.")
                    % {
                        "a": name,
                        "d": show_date(network.today(issued)),
                        "n": show_date(add_months(network.today(issued), interval)),
                    },
                )
            )
        elif issued is None and network.today(network.created_at) > since:
            results.append(("due", _("%(a)s: no report issued yet.") % {"a": name}))
        else:
            results.append(
                ("missed", _("%(a)s: no report issued since %(d)s.") % {"a": name, "d": show_date(since)})
            )
    status = max((s for s, _d in results), key=SEVERITY.__getitem__)
    return status, " ".join(d for _s, d in results)
