"""How a network decides, read from its charter: which body decides what, who must take a position,
where a matter goes without consensus, which consultations are mandatory. No code path per country."""

from convene.networks.models import Body, Membership, Network, Organisation, Rule

# Roles that hold a seat in a decision (the Secretariat and observers do not take positions).
DECIDING_ROLES = (Membership.Role.MEMBER, Membership.Role.CO_CHAIR, Membership.Role.COORDINATOR)


def _rules(network: Network) -> dict[str, Rule]:
    rules = {}
    for rule in network.rules.select_related("authority").order_by("order", "id"):
        rules.setdefault(rule.kind, rule)
    return rules


def decision_rule(network: Network) -> Rule | None:
    return network.rules.filter(kind=Rule.Kind.DECISION_MAKING).select_related("authority").first()


def deciding_bodies(network: Network) -> list[Body]:
    """Bodies the charter lets decide (a decision method is set) that are still active."""
    return [b for b in network.bodies.exclude(decision_method="") if b.is_active]


def deciding_body_for(network: Network, kind: str) -> Body | None:
    """The body a proposal of this kind goes to: the one the charter names for the power
    (`Network.authority_for`); otherwise the one for decisions in general (Kenya: the Executive
    Committee; Kazakhstan: the Network); otherwise the plenary."""
    authority = network.authority_for(kind)
    if authority and authority.decision_method:
        return authority
    rule = _rules(network).get(Rule.Kind.DECISION_MAKING)
    if rule and rule.authority and rule.authority.decision_method:
        return rule.authority
    bodies = deciding_bodies(network)
    return next((b for b in bodies if b.kind == Body.Kind.PLENARY), bodies[0] if bodies else None)


def deciding_members(body: Body) -> list[Membership]:
    """One seat per member organisation of the deciding body."""
    seats = {}
    memberships = (
        body.memberships.current(on=body.network.today())
        .filter(role__in=DECIDING_ROLES)
        .select_related("organisation")
        .order_by("organisation__acronym")
    )
    for m in memberships:
        seats.setdefault(m.organisation_id, m)
    return list(seats.values())


def consult_all_members(network: Network) -> bool:
    """Kazakhstan: decisions are made by consensus based on consultations with all members, so a
    decision at a meeting needs every member's position (silence counts only in written procedure)."""
    rule = decision_rule(network)
    return bool(rule and (rule.params or {}).get("consult_all_members"))


def consultation_rules(network: Network) -> list[Rule]:
    """Mandatory consultations the charter names (Kazakhstan: the Ministry of Labour on state matters)."""
    return list(network.rules.filter(kind=Rule.Kind.CONSULTATION).select_related("organisation"))


def state_consultation_rule(network: Network) -> Rule | None:
    """The charter's consultation of a government organisation on matters of the state (Kazakhstan:
    the Ministry of Labour "on all issues relevant to or of concern to the state"): every proposal
    in such a network answers whether it concerns the state."""
    return (
        network.rules.filter(kind=Rule.Kind.CONSULTATION, organisation__kind=Organisation.Kind.GOVERNMENT)
        .select_related("organisation")
        .order_by("order", "id")
        .first()
    )


def register_prefix(network: Network) -> str:
    """The prefix of decision numbers (KEN/2027/007): set in the charter, or from the slug."""
    rule = decision_rule(network)
    prefix = (rule.params or {}).get("register_prefix") if rule else None
    return (prefix or network.slug[:3]).upper()
