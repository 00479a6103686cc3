"""One table per question: who may see and do what in the Kenya network."""

import pytest
from django.contrib.auth.models import AnonymousUser

from convene.decisions import testing as charter_powers
from convene.networks import permissions as perms
from convene.networks import services

ROLES = ["secretariat", "executive", "member", "partner", "other_network", "nobody", "anonymous"]


@pytest.fixture
def people(kenya, kazakhstan, seat):
    group = charter_powers.establish_working_group(network=kenya, name="Perm TWG")
    cso = services.create_organisation(by=None, acronym="CSO-P", name="CSO P", kind="cso", country="KE")
    services.add_membership(by=None, body=group, organisation=cso, role="external_partner")
    from convene.accounts.models import User

    return {
        "secretariat": seat(kenya, "secretariat", "IOM", role="secretariat"),
        "executive": seat(kenya, "executive-committee", "UNHCR"),
        "member": seat(kenya, "network", "FAO"),
        "partner": seat(kenya, group.slug, "CSO-P", role="external_partner"),
        "other_network": seat(kazakhstan, "secretariat", "IOM", role="secretariat"),
        "nobody": User.objects.create_user(email="n@x.org", full_name="N"),
        "anonymous": AnonymousUser(),
        "group": group,
    }


def table(expected: str):
    return dict(zip(ROLES, [c == "Y" for c in expected.split()], strict=True))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        #                                   sec exe mem par oth nob ano
        (perms.can_view_network, "          Y   Y   Y   N   N   N   N"),
        (perms.can_manage_network, "        Y   N   N   N   N   N   N"),
        (perms.can_view_audit_log, "        Y   N   N   N   N   N   N"),
        (perms.can_export_members, "        Y   Y   Y   N   N   N   N"),
        (perms.can_share_members_list, "    Y   N   N   N   N   N   N"),
    ],
)
def test_network_questions(people, kenya, question, expected):
    assert {role: question(people[role], kenya) for role in ROLES} == table(expected)


def test_body_visibility(people, kenya):
    executive = kenya.bodies.get(slug="executive-committee")
    assert {r: perms.can_view_body(people[r], executive) for r in ROLES} == table("Y Y Y N N N N")
    assert {r: perms.can_view_body(people[r], people["group"]) for r in ROLES} == table("Y Y Y Y N N N")


def test_registry_questions(people):
    assert {r: perms.can_add_organisation(people[r]) for r in ROLES} == table("Y N N N Y N N")
    assert {r: perms.can_view_registry(people[r]) for r in ROLES} == table("Y Y Y Y Y N N")


def test_role_label_names_the_highest_role(people, kenya):
    labels = {r: perms.access_for(people[r], kenya).role_label for r in ROLES}
    assert labels["secretariat"] == "Secretariat"
    assert labels["executive"] == "Executive Committee member"
    assert labels["member"] == "Member representative"
    assert labels["partner"] == "Working-group participant"
    assert labels["other_network"] == ""


def test_role_label_says_what_the_person_is_in_each_charter(kazakhstan, seat):
    """Kazakhstan has co-chairs and no Executive Committee; a member is a member there."""
    rc = seat(kazakhstan, "co-chairs", "UN RCO", role="co_chair")
    unicef = seat(kazakhstan, "network", "UNICEF")
    assert perms.access_for(rc, kazakhstan).role_label == "Co-chair"
    assert perms.access_for(unicef, kazakhstan).role_label == "Member representative"


def test_a_former_representative_loses_every_right_on_the_day_after_their_end_date(kenya, seat):
    import datetime

    from convene.decisions import permissions as decision_perms
    from convene.decisions import services as decisions
    from convene.networks.models import Organisation

    secretariat = seat(kenya, "secretariat", "IOM", role="secretariat")
    fao = seat(kenya, "network", "FAO")
    action = decisions.create_action_item(
        by=secretariat,
        network=kenya,
        title="Map referral pathways",
        owner_organisation=Organisation.objects.get(acronym="FAO", country=""),
        due_date=kenya.today() + datetime.timedelta(days=30),
    )
    assert decision_perms.can_update_action(fao, action)
    month_ago, yesterday = (kenya.today() - datetime.timedelta(days=d) for d in (30, 1))
    fao.representations.update(start_date=month_ago, end_date=yesterday)
    fao.__dict__.pop("_convene_access", None)
    assert not perms.can_view_network(fao, kenya)
    assert not decision_perms.can_update_action(fao, action)
    secretariat.representations.update(start_date=month_ago, end_date=yesterday)
    assert not perms.can_add_organisation(secretariat)


def test_a_seat_that_ended_gives_no_access(people, kenya):
    member = people["member"]
    membership = member.representations.get().membership
    services.end_membership(by=None, membership=membership)
    member.__dict__.pop("_convene_access", None)
    assert not perms.can_view_network(member, kenya)


def test_access_is_one_query_per_network_and_request(people, kenya, django_assert_num_queries):
    user = people["executive"]
    with django_assert_num_queries(1):
        perms.can_view_network(user, kenya)
        perms.can_manage_network(user, kenya)
        perms.can_export_members(user, kenya)
