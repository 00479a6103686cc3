"""Each page's SQL query count is fixed: it does not grow when the network has ten times the members."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.accounts.models import User
from convene.decisions import testing as charter_powers
from convene.networks import services
from convene.networks.models import Body, Membership, Organisation, Representative


def grow(network, factor=10):
    """Add `factor` times the network's members, each with two representatives, in bulk."""
    plenary = network.bodies.get(kind=Body.Kind.PLENARY)
    group = network.bodies.filter(kind=Body.Kind.WORKING_GROUP).first()
    n = plenary.memberships.count() * factor
    orgs = Organisation.objects.bulk_create(
        Organisation(acronym=f"ORG{i}", name=f"Organisation {i}", kind="cso", country=network.country)
        for i in range(n)
    )
    people = User.objects.bulk_create(
        User(email=f"p{i}@org{i // 2}.test", full_name=f"Person {i}") for i in range(2 * n)
    )
    memberships = Membership.objects.bulk_create(
        [Membership(body=plenary, organisation=o, status="active") for o in orgs]
        + [Membership(body=group, organisation=o, status="active") for o in orgs[: n // 2]]
    )
    Representative.objects.bulk_create(
        Representative(membership=m, person=people[2 * i + k], kind=["principal", "alternate"][k])
        for i, m in enumerate(memberships[:n])
        for k in (0, 1)
    )


@pytest.fixture
def network(kenya, seat):
    group = charter_powers.establish_working_group(network=kenya, name="Counted TWG")
    services.add_membership(
        by=None, body=group, organisation=Organisation.objects.get(acronym="ILO", country="")
    )
    return kenya


PAGES = [
    ("networks:home", lambda n: {"network_slug": n.slug}),
    ("networks:members", lambda n: {"network_slug": n.slug}),
    ("networks:members_xlsx", lambda n: {"network_slug": n.slug}),
    ("networks:members_csv", lambda n: {"network_slug": n.slug}),
    ("networks:body", lambda n: {"network_slug": n.slug, "body_slug": "network"}),
    ("networks:body", lambda n: {"network_slug": n.slug, "body_slug": "counted-twg"}),
    ("networks:applications", lambda n: {"network_slug": n.slug}),
    ("networks:audit_log", lambda n: {"network_slug": n.slug}),
    ("networks:organisations", lambda n: {}),
    ("accounts:settings", lambda n: {}),
    ("api:network-list", lambda n: {}),
    ("api:body-list", lambda n: {"network_slug": n.slug}),
    ("api:membership-list", lambda n: {"network_slug": n.slug}),
    ("api:representative-list", lambda n: {"network_slug": n.slug}),
    ("api:rule-list", lambda n: {"network_slug": n.slug}),
    ("api:organisation-list", lambda n: {}),
    ("api:audit-log-list", lambda n: {"network_slug": n.slug}),
]
# The network home: one query for each kind of record a rule is measured from (meetings, co-chair
# terms, this year's workplan, issued reports, statements delivered) and for each kind of thing a
# person owes (minutes and suggestions, proposals, actions, statements awaiting clearance) on top of
# the structure; none per body, rule or record. Rendered first after a change, it also reads the
# network's change counter; until the next change (or day) its structure is cached (three fewer).
MAX_QUERIES = 18


def count(client, url):
    """The page's queries as rendered first after a change (none of its fragments cached)."""
    caches["fragments"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_query_counts_are_small_and_flat(client, network, seat):
    user = seat(network, "secretariat", "IOM", role="secretariat")
    client.force_login(user)
    urls = [reverse(name, kwargs=kwargs(network)) for name, kwargs in PAGES]
    for url in urls:
        client.get(url)  # warm caches that are per process (content types, sessions)
    before = {url: count(client, url) for url in urls}
    grow(network)
    after = {url: count(client, url) for url in urls}
    assert after == before
    assert max(before.values()) <= MAX_QUERIES, before
