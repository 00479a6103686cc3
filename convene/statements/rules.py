"""How a network speaks with one voice, read from its charter's `statements` rule: which body's
members clear a statement, who signs it off, how long a silence procedure runs. No code per country."""

from convene.decisions.rules import deciding_members
from convene.networks.models import Body, Membership, Network, Rule

SILENCE_HOURS = 72  # the UN General Assembly's silence procedure, where the charter sets none


def statement_rule(network: Network) -> Rule | None:
    return network.rules.filter(kind=Rule.Kind.STATEMENTS).select_related("authority").first()


def plenary(network: Network) -> Body | None:
    return network.bodies.filter(kind=Body.Kind.PLENARY).order_by("id").first()


def clearing_body(statement) -> Body:
    """A working group's own statement: its members. A statement in the name of the whole network:
    every member. Otherwise the body the charter names (Kenya: the Executive Committee entities)."""
    if statement.body.kind == Body.Kind.WORKING_GROUP:
        return statement.body
    rule = statement_rule(statement.network)
    if rule and rule.authority_id and not statement.network_wide:
        return rule.authority
    return plenary(statement.network) or statement.body


def may_choose_network_wide(network: Network) -> bool:
    """Whether "cleared by every member" is a choice: only where a smaller body clears by default."""
    rule = statement_rule(network)
    return bool(rule and rule.authority and rule.authority.kind != Body.Kind.PLENARY)


def clearing_seats(body: Body) -> list[Membership]:
    """One seat per member organisation, as for a decision (observers and external partners and the
    Secretariat's own seat do not clear)."""
    return deciding_members(body)


def silence_hours(network: Network) -> int:
    rule = statement_rule(network)
    return int((rule.params or {}).get("silence_hours", SILENCE_HOURS)) if rule else SILENCE_HOURS


def signing_seats(statement) -> list[Membership]:
    """Who signs off, one seat per organisation: a working group's co-chairs for its own statement;
    otherwise the charter's choice, the network's co-chairs (Kazakhstan: both) or the Coordinator
    (Kenya)."""
    network = statement.network
    today = network.today()
    if statement.body.kind == Body.Kind.WORKING_GROUP:
        chairs = statement.body.memberships.current(on=today).filter(role=Membership.Role.CO_CHAIR)
        if chairs.exists():
            return _seats(chairs)
    rule = statement_rule(network)
    sign_off = (rule.params or {}).get("sign_off") if rule else None
    co_chairs = Membership.objects.current(on=today).filter(
        body__network=network, body__kind=Body.Kind.CO_CHAIRS, role=Membership.Role.CO_CHAIR
    )
    coordinator = Membership.objects.current(on=today).filter(
        body__network=network, body__kind=Body.Kind.SECRETARIAT, role=Membership.Role.COORDINATOR
    )
    first, second = (coordinator, co_chairs) if sign_off == "coordinator" else (co_chairs, coordinator)
    return _seats(first) or _seats(second)


def _seats(memberships) -> list[Membership]:
    seen = {}
    for m in memberships.select_related("organisation").order_by("organisation__acronym"):
        seen.setdefault(m.organisation_id, m)
    return list(seen.values())
