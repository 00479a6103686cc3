"""Rules the networks app monitors: co-chair rotation, the members list; the evaluator registry and
the targets a network set itself."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from convene.core.dates import show_date
from convene.decisions import testing as charter_powers
from convene.networks import monitoring, services
from convene.networks.models import Network, Organisation, Rule
from convene.networks.queries import load_structure


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


def status_of(network, kind):
    network = Network.objects.get(pk=network.pk)
    [result] = monitoring.evaluate(network.rules.filter(kind=kind), load_structure(network))
    return result.status, result.detail


@pytest.fixture
def group(kenya):
    group = charter_powers.establish_working_group(network=kenya, name="Labour Migration TWG")
    for acronym in ("ILO", "IOM", "UNHCR"):
        services.add_membership(by=None, body=group, organisation=org(acronym))
    return group


def co_chairs(group, acronyms, start, end=None):
    return charter_powers.set_co_chairs(
        body=group, organisations=[org(a) for a in acronyms], start_date=start, end_date=end
    )


@pytest.mark.clock
def test_a_working_group_without_co_chairs_is_due(group):
    status, detail = status_of(group.network, Rule.Kind.CO_CHAIR_ROTATION)
    assert status == "due" and "Labour Migration TWG: co-chairs to select" in detail


@pytest.mark.clock
def test_co_chairs_in_term_are_met_and_warned_thirty_days_before_the_term_ends(group):
    today = group.network.today()
    co_chairs(group, ["ILO"], today - datetime.timedelta(days=100))  # 12-month term from the charter
    status, detail = status_of(group.network, Rule.Kind.CO_CHAIR_ROTATION)
    assert status == "met" and "ILO until" in detail
    group.memberships.filter(role="co_chair").update(end_date=today + datetime.timedelta(days=30))
    status, detail = status_of(group.network, Rule.Kind.CO_CHAIR_ROTATION)
    assert status == "due" and "select their successors" in detail
    assert show_date(today + datetime.timedelta(days=30)) in detail


@pytest.mark.clock
def test_the_warning_window_is_the_charters(group):
    today = group.network.today()
    co_chairs(group, ["ILO"], today - datetime.timedelta(days=10), today + datetime.timedelta(days=40))
    assert status_of(group.network, Rule.Kind.CO_CHAIR_ROTATION)[0] == "met"
    rule = group.network.rules.get(kind=Rule.Kind.CO_CHAIR_ROTATION)
    rule.params = {**rule.params, "warn_days": 45}
    rule.save()
    assert status_of(group.network, Rule.Kind.CO_CHAIR_ROTATION)[0] == "due"


@pytest.mark.clock
def test_successors_selected_ahead_keep_the_rule_met(group):
    today = group.network.today()
    end = today + datetime.timedelta(days=5)
    co_chairs(group, ["ILO"], today - datetime.timedelta(days=300), end)
    co_chairs(group, ["UNHCR"], end + datetime.timedelta(days=1))
    status, detail = status_of(group.network, Rule.Kind.CO_CHAIR_ROTATION)
    assert status == "met" and f"ILO until {show_date(end)}, then UNHCR" in detail


@pytest.mark.clock
def test_a_term_ended_without_successor_is_missed(group):
    today = group.network.today()
    co_chairs(group, ["ILO"], today - datetime.timedelta(days=400), today - datetime.timedelta(days=1))
    status, detail = status_of(group.network, Rule.Kind.CO_CHAIR_ROTATION)
    assert status == "missed"
    assert (
        f"the term of ILO ended on {show_date(today - datetime.timedelta(days=1))} with no successor"
        in detail
    )


@pytest.mark.clock
def test_the_same_organisation_in_consecutive_terms_breaks_the_rotation(group):
    today = group.network.today()
    start = today - datetime.timedelta(days=400)
    co_chairs(group, ["ILO", "IOM"], start, today - datetime.timedelta(days=36))
    co_chairs(group, ["ILO", "UNHCR"], today - datetime.timedelta(days=35))
    status, detail = status_of(group.network, Rule.Kind.CO_CHAIR_ROTATION)
    assert status == "missed" and "ILO co-chair(s) again from" in detail and "annual" in detail
    # The Secretariat is warned on the form before it selects the next term.
    assert [o.acronym for o in monitoring.co_chairs_to_avoid(group)] == ["ILO", "UNHCR"]


def test_the_co_chairs_form_warns_against_reselecting_the_current_co_chairs(client, group, kenya_secretariat):
    co_chairs(group, ["ILO"], group.network.today() - datetime.timedelta(days=10))
    client.force_login(kenya_secretariat)
    response = client.get(reverse("networks:co_chairs", args=["kenya", group.slug]))
    assert "ILO co-chaired the last term; selecting them again breaks the annual rotation" in (
        response.content.decode()
    )


def test_rotation_costs_one_query_whatever_the_number_of_groups(kenya, django_assert_num_queries):
    for n in range(5):
        g = charter_powers.establish_working_group(network=kenya, name=f"TWG {n}")
        services.add_membership(by=None, body=g, organisation=org("ILO"))
        co_chairs(g, ["ILO"], kenya.today())
    network = Network.objects.get(pk=kenya.pk)
    structure = load_structure(network)
    rules = list(network.rules.filter(kind=Rule.Kind.CO_CHAIR_ROTATION))
    with django_assert_num_queries(1):
        [result] = monitoring.evaluate(rules, structure)
    assert result.status == "met"


@pytest.mark.clock
def test_members_list_shared_within_the_interval_is_met_on_the_networks_date(kazakhstan):
    # Shared at 20:00 UTC: already the next day in Almaty (UTC+5).
    now = timezone.now()
    shared = datetime.datetime.combine(
        now.date() - datetime.timedelta(days=90), datetime.time(20, 0), datetime.UTC
    )
    Network.objects.filter(pk=kazakhstan.pk).update(members_list_shared_at=shared)
    status, detail = status_of(kazakhstan, Rule.Kind.MEMBERS_LIST)
    local = kazakhstan.today(shared)
    assert f"Last shared {show_date(local)}" in detail
    expected = "met" if local + datetime.timedelta(days=90) >= kazakhstan.today() else "missed"
    assert status == expected


def test_a_second_evaluator_for_a_kind_is_refused_unless_it_replaces():
    def other(rule, structure):
        return "met", ""

    before = monitoring.EVALUATORS[Rule.Kind.MEMBERS_LIST]
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        monitoring.evaluator(Rule.Kind.MEMBERS_LIST)(other)
    try:
        monitoring.evaluator(Rule.Kind.MEMBERS_LIST, replaces=True)(other)
        assert monitoring.EVALUATORS[Rule.Kind.MEMBERS_LIST] is other
    finally:
        monitoring.EVALUATORS[Rule.Kind.MEMBERS_LIST] = before


def test_home_shows_the_networks_own_targets_and_the_consultation_scope(client, kazakhstan_secretariat):
    client.force_login(kazakhstan_secretariat)
    page = client.get(reverse("networks:home", args=["kazakhstan"])).content.decode()
    assert "The network's own target: shared at least every 90 days" in page
    assert "agenda out 7 days before the meeting; minutes out within 14 days of the meeting" in page
    assert "Consulted on: issues relevant to or of concern to the state." in page
    [rule] = client.get(reverse("api:rule-list", args=["kazakhstan"])).json()[5:6]
    assert rule["key"] == "members-list" and rule["own_targets"] == ["shared at least every 90 days"]


def test_a_new_working_group_starts_with_the_charters_participation_level(kenya):
    group = charter_powers.establish_working_group(network=kenya, name="Data TWG")
    assert group.participation_level == (
        "Programme Managers (operational and technical) or their designated representatives"
    )


@pytest.mark.clock
def test_a_members_list_never_shared_is_due_at_first_then_missed(kazakhstan):
    status, detail = status_of(kazakhstan, Rule.Kind.MEMBERS_LIST)
    assert (
        status == "due"
        and f"share it by {show_date(kazakhstan.today() + datetime.timedelta(days=90))}" in detail
    )
    Network.objects.filter(pk=kazakhstan.pk).update(created_at=timezone.now() - datetime.timedelta(days=120))
    status, detail = status_of(kazakhstan, Rule.Kind.MEMBERS_LIST)
    assert status == "missed" and "never been shared" in detail
