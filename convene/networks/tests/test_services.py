"""Domain rules of the network structure, checked by calling the services directly."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from convene.core.models import ChangeLog
from convene.decisions import testing as charter_powers
from convene.networks import services
from convene.networks.models import Body, Membership, Organisation, Representative

# The outcome depends on the date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


def test_registry_holds_the_reference_un_entities(db):
    assert Organisation.objects.filter(kind="un").count() == 35
    assert "UNWOMEN" in org("UN Women").aliases


def test_duplicate_organisation_is_refused_case_insensitively(db):
    with pytest.raises(ValidationError, match="already in the registry"):
        services.create_organisation(by=None, acronym="iom", name="Something else", kind="un")
    with pytest.raises(ValidationError, match="already in the registry"):
        services.create_organisation(
            by=None, acronym="XYZ", name="international organization for migration", kind="un"
        )
    assert Organisation.objects.filter(acronym__iexact="iom").count() == 1


def test_same_acronym_in_another_country_is_a_different_organisation(db):
    services.create_organisation(
        by=None, acronym="MOL", name="Ministry of Labour", kind="government", country="ke"
    )
    services.create_organisation(
        by=None, acronym="MOL", name="Ministry of Labour", kind="government", country="KZ"
    )
    assert Organisation.objects.filter(acronym="MOL").count() == 2


def test_representative_of_an_organisation_that_is_not_a_member_is_refused(kenya):
    body = kenya.bodies.get(slug="network")
    applied = services.apply_for_membership(by=None, network=kenya, organisation=org("UN-Habitat"))
    with pytest.raises(ValidationError, match="not an active member"):
        services.designate_representative(by=None, membership=applied, email="x@habitat.org", full_name="X")
    assert not Representative.objects.filter(membership__body=body, person__email="x@habitat.org").exists()


def test_end_date_before_start_date_is_refused(kenya):
    TODAY = kenya.today()  # the network's date: services default to it
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("FAO"))
    with pytest.raises(ValidationError, match="end date cannot be before"):
        services.designate_representative(
            by=None,
            membership=membership,
            email="a@fao.org",
            full_name="A",
            start_date=TODAY,
            end_date=TODAY - datetime.timedelta(days=1),
        )
    assert not Representative.objects.exists()


def test_same_organisation_twice_in_a_body_with_the_same_role_is_refused(kenya):
    body = kenya.bodies.get(slug="executive-committee")
    with pytest.raises(ValidationError, match="already holds the role"):
        services.add_membership(by=None, body=body, organisation=org("IOM"))


def test_only_network_members_join_other_bodies_except_as_external_partners(kenya):
    group = charter_powers.establish_working_group(network=kenya, name="Data TWG")
    with pytest.raises(ValidationError, match="not a member of the network"):
        services.add_membership(by=None, body=group, organisation=org("UN-Habitat"))
    cso = services.create_organisation(by=None, acronym="CSO1", name="A CSO", kind="cso", country="KE")
    partner = services.add_membership(by=None, body=group, organisation=cso, role="external_partner")
    assert partner.status == "active"


def test_external_partners_only_where_the_group_allows_them(kenya):
    group = charter_powers.establish_working_group(
        network=kenya, name="Closed TWG", external_partners_allowed=False
    )
    cso = services.create_organisation(by=None, acronym="CSO2", name="Another CSO", kind="cso", country="KE")
    with pytest.raises(ValidationError, match="does not take external partners"):
        services.add_membership(by=None, body=group, organisation=cso, role="external_partner")


def test_working_group_takes_the_charter_co_chair_term_and_co_chairs_rotate(kenya):
    group = charter_powers.establish_working_group(network=kenya, name="Labour TWG")
    assert group.co_chair_term_months == 12  # Kenya: rotating annually
    for acronym in ("ILO", "IOM", "UNHCR"):
        services.add_membership(by=None, body=group, organisation=org(acronym))
    first = charter_powers.set_co_chairs(
        body=group, organisations=[org("ILO")], start_date=datetime.date(2026, 1, 1)
    )
    assert first[0].end_date == datetime.date(2026, 12, 31)
    charter_powers.set_co_chairs(
        body=group, organisations=[org("IOM"), org("UNHCR")], start_date=datetime.date(2027, 1, 1)
    )
    first[0].refresh_from_db()
    assert first[0].status == "ended" and first[0].end_date == datetime.date(2026, 12, 31)
    current = group.memberships.current(on=datetime.date(2027, 1, 1)).filter(role="co_chair")
    assert sorted(current.values_list("organisation__acronym", flat=True)) == ["IOM", "UNHCR"]


def test_co_chairs_must_be_members_of_the_group(kenya):
    group = charter_powers.establish_working_group(network=kenya, name="Small TWG")
    with pytest.raises(ValidationError, match="must be members of the working group"):
        charter_powers.set_co_chairs(body=group, organisations=[org("ILO")])


def test_abolishing_a_working_group_ends_its_memberships_and_keeps_history(kenya):
    TODAY = kenya.today()  # the network's date: services default to it
    group = charter_powers.establish_working_group(network=kenya, name="Old TWG", established_on=TODAY)
    m = services.add_membership(by=None, body=group, organisation=org("ILO"), start_date=TODAY)
    services.designate_representative(by=None, membership=m, email="p@ilo.org", full_name="P")
    charter_powers.abolish_working_group(body=group, abolished_on=TODAY)
    m.refresh_from_db()
    assert (m.status, m.end_date) == ("ended", TODAY)
    assert m.representatives.get().end_date == TODAY
    with pytest.raises(ValidationError, match="active working group"):
        charter_powers.abolish_working_group(body=group)


def test_abolishing_before_establishment_is_refused(kenya):
    TODAY = kenya.today()  # the network's date: services default to it
    group = charter_powers.establish_working_group(network=kenya, name="New TWG", established_on=TODAY)
    with pytest.raises(ValidationError, match="end date cannot be before"):
        charter_powers.abolish_working_group(body=group, abolished_on=TODAY - datetime.timedelta(days=3))
    group.refresh_from_db()
    assert group.abolished_on is None


def test_kazakhstan_application_is_decided_by_the_secretariat_and_says_so(kazakhstan):
    """The KZ charter names no body that admits members: the Secretariat decides, and the record
    names the Secretariat, not a body that never decided."""
    application = services.apply_for_membership(by=None, network=kazakhstan, organisation=org("WFP"))
    services.decide_membership_application(by=None, membership=application, approve=False)
    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.decided_by.kind == Body.Kind.SECRETARIAT
    with pytest.raises(ValidationError, match="already been decided"):
        services.decide_membership_application(by=None, membership=application, approve=True)


def test_every_change_is_in_the_audit_log_with_what_changed(kenya_secretariat, kenya):
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("WFP"))
    rep = services.designate_representative(
        by=kenya_secretariat, membership=membership, email="r@wfp.org", full_name="R"
    )
    services.update_representative(by=kenya_secretariat, representative=rep, kind="alternate")
    services.remove_representative(by=kenya_secretariat, representative=rep)
    log = list(ChangeLog.objects.filter(network_id=kenya.pk, actor=kenya_secretariat).order_by("id"))
    assert [e.action for e in log][-3:] == ["create", "update", "delete"]
    assert log[-2].changes == {"kind": ["principal", "alternate"]}


def test_an_update_that_changes_nothing_logs_nothing(kenya):
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("WFP"))
    before = ChangeLog.objects.count()
    services.update_membership(by=None, membership=membership, note=membership.note)
    assert ChangeLog.objects.count() == before


def test_update_services_refuse_fields_they_do_not_own(kenya):
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("WFP"))
    with pytest.raises(ValidationError, match="cannot be changed: status"):
        services.update_membership(by=None, membership=membership, status="ended")
    membership.refresh_from_db()
    assert membership.status == "active"
