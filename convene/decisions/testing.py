"""Helpers for tests (and fixtures) that need a network changed the way its charter allows: where
the charter names the body that holds a power, through that body's decision, recorded here as
taken elsewhere; where it names none, by the Secretariat directly."""

from convene.networks import services as network_services
from convene.networks.models import Body, Membership, Network, Organisation

from . import services
from .models import Proposal

REFERENCE, EVIDENCE = "TEST/1", "Recorded for a test"


def _record(*, by, network: Network, kind: str, decided_on=None, **subject):
    return services.record_decision_taken_elsewhere(
        by=by,
        network=network,
        kind=kind,
        decided_on=decided_on or network.today(),
        reference=REFERENCE,
        evidence=EVIDENCE,
        **subject,
    )


def establish_working_group(*, network: Network, name: str, by=None, established_on=None, **fields) -> Body:
    if network.decides_for_itself(Proposal.Kind.ESTABLISH_WORKING_GROUP):
        return network_services.establish_working_group(
            by=by, network=network, name=name, established_on=established_on, **fields
        )
    decision = _record(
        by=by,
        network=network,
        kind=Proposal.Kind.ESTABLISH_WORKING_GROUP,
        decided_on=established_on,
        payload={"name": name, **fields},
    )
    return decision.proposal.working_group


def set_co_chairs(
    *, body: Body, organisations: list[Organisation], by=None, start_date=None, end_date=None
) -> list[Membership]:
    network = body.network
    if network.decides_for_itself(Proposal.Kind.SELECT_CO_CHAIRS):
        return network_services.set_co_chairs(
            by=by, body=body, organisations=organisations, start_date=start_date, end_date=end_date
        )
    payload = {"organisations": [o.pk for o in organisations]}
    for key, day in (("start_date", start_date), ("end_date", end_date)):
        if day:
            payload[key] = day.isoformat()
    _record(by=by, network=network, kind=Proposal.Kind.SELECT_CO_CHAIRS, working_group=body, payload=payload)
    return list(body.memberships.filter(role=Membership.Role.CO_CHAIR, status=Membership.Status.ACTIVE))


def abolish_working_group(*, body: Body, by=None, abolished_on=None) -> Body:
    network = body.network
    if network.decides_for_itself(Proposal.Kind.ABOLISH_WORKING_GROUP):
        return network_services.abolish_working_group(by=by, body=body, abolished_on=abolished_on)
    _record(
        by=by,
        network=network,
        kind=Proposal.Kind.ABOLISH_WORKING_GROUP,
        working_group=body,
        decided_on=abolished_on,
    )
    body.refresh_from_db()
    return body
