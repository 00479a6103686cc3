"""Shared fixtures: the two seed networks loaded from their charters, and people seated in them."""

from pathlib import Path

import pytest

CHARTERS = Path(__file__).parent / "charters"


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests serve static files from the apps; fingerprinting needs collectstatic and adds nothing."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def load_charter(db):
    from convene.networks import charter

    def load(name: str):
        return charter.load((CHARTERS / f"{name}.yaml").read_text(encoding="utf-8")).network

    return load


@pytest.fixture
def kenya(load_charter):
    return load_charter("kenya")


@pytest.fixture
def kazakhstan(load_charter):
    return load_charter("kazakhstan")


@pytest.fixture
def seat(db):
    """seat(network, body_slug, acronym, role="member", email=None) -> the seated user."""
    from convene.accounts.models import User
    from convene.networks import services
    from convene.networks.models import Body, Membership, Organisation

    counter = iter(range(10_000))

    def make(network, body_slug, acronym, role=Membership.Role.MEMBER, email=None):
        body = Body.objects.get(network=network, slug=body_slug)
        org = Organisation.objects.get(acronym=acronym, country__in=["", network.country])
        membership = Membership.objects.filter(
            body=body, organisation=org, role=role, status="active"
        ).first()
        if membership is None:
            membership = services.add_membership(by=None, body=body, organisation=org, role=role)
        email = (
            email
            or f"{acronym.lower().replace(' ', '-').replace('/', '-')}-{next(counter)}@{network.slug}.test"
        )
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password="pw-for-tests-only", full_name=f"{acronym} person"
        )
        services.designate_representative(by=None, membership=membership, email=user.email)
        return user

    return make


@pytest.fixture
def kenya_secretariat(kenya, seat):
    return seat(kenya, "secretariat", "IOM", role="secretariat")


@pytest.fixture
def kenya_member(kenya, seat):
    return seat(kenya, "network", "FAO")


@pytest.fixture
def kazakhstan_secretariat(kazakhstan, seat):
    return seat(kazakhstan, "secretariat", "IOM", role="secretariat")
