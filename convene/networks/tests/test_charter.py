"""Charters: the two seeds load as the ToRs say, loading is idempotent and all-or-nothing, and round-trips."""

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from convene.core.models import ChangeLog
from convene.networks import charter
from convene.networks.models import Body, Membership, Network, Organisation, Rule


def acronyms(network, slug, role=None):
    qs = Membership.objects.filter(body__network=network, body__slug=slug, status="active")
    if role:
        qs = qs.filter(role=role)
    return sorted(qs.values_list("organisation__acronym", flat=True))


def test_kenya_executive_committee_has_eight_entities_including_undesa(kenya):
    assert acronyms(kenya, "executive-committee") == sorted(
        ["ILO", "IOM", "OHCHR", "UNDESA", "UNDP", "UNHCR", "UNICEF", "UNODC"]
    )
    committee = kenya.bodies.get(slug="executive-committee")
    assert committee.decision_method == "consensus"
    assert committee.escalates_to.kind == Body.Kind.UNCT


def test_kenya_network_has_annex_one_members_plus_rco_and_undesa(kenya):
    members = acronyms(kenya, "network")
    assert len(members) == 21
    assert {"UNCTAD", "UNV", "WHO", "UN RCO", "UNDESA"} <= set(members)
    assert acronyms(kenya, "secretariat") == ["IOM", "IOM"]


def test_kenya_rules_give_the_executive_committee_its_powers(kenya):
    approval = kenya.rules.get(kind=Rule.Kind.MEMBERSHIP_APPROVAL)
    assert approval.authority.slug == "executive-committee"
    assert kenya.rules.get(kind=Rule.Kind.CO_CHAIR_ROTATION).params["term_months"] == 12
    assert kenya.rules.get(kind=Rule.Kind.CO_CHAIR_ROTATION).params["chosen_by_network"] == ["warn_days"]


def test_kazakhstan_has_two_co_chairs_ten_members_annual_meeting_and_ministry_consultation(kazakhstan):
    assert acronyms(kazakhstan, "co-chairs", role="co_chair") == ["IOM", "UN RCO"]
    assert len(acronyms(kazakhstan, "network")) == 10
    assert kazakhstan.rules.filter(kind=Rule.Kind.ANNUAL_MEETING).exists()
    consult = kazakhstan.rules.get(kind=Rule.Kind.CONSULTATION)
    assert consult.organisation.acronym == "MOL"
    assert consult.organisation.kind == Organisation.Kind.GOVERNMENT
    assert kazakhstan.rules.get(kind=Rule.Kind.MEMBERS_LIST).params["interval_days"] == 90
    assert kazakhstan.timezone == "Asia/Almaty"


def test_each_network_works_in_the_languages_its_charter_names(kenya, kazakhstan):
    assert (kenya.languages, kenya.language) == (["en", "sw"], "en")
    assert (kazakhstan.languages, kazakhstan.language) == (["ru", "kk", "en"], "ru")


def test_the_secretariats_mailbox_is_optional_and_exported(kenya, kazakhstan, db):
    # The real charters do not know the Secretariats' mailboxes: none is invented.
    assert (kenya.email, kazakhstan.email) == ("", "")
    assert "email" not in yaml.safe_load(charter.export(kenya))["network"]
    network = charter.load(
        VALID.replace("timezone: UTC", "timezone: UTC, email: secretariat@testland.test")
    ).network
    assert network.email == "secretariat@testland.test" == network.secretariat_address()
    assert yaml.safe_load(charter.export(network))["network"]["email"] == "secretariat@testland.test"


def test_loading_twice_changes_nothing(kenya):
    text = Path("charters/kenya.yaml").read_text()
    logged = ChangeLog.objects.count()
    result = charter.load(text)
    assert (result.created, result.updated) == (0, 0)
    assert ChangeLog.objects.count() == logged


@pytest.mark.parametrize("name", ["kenya", "kazakhstan"])
def test_seed_round_trips_through_export(load_charter, name):
    network = load_charter(name)
    exported = charter.export(network)
    Membership.objects.filter(body__network=network).delete()
    network.delete()
    reloaded = charter.load(exported)
    assert charter.export(reloaded.network) == exported


def test_demo_people_round_trip_too(db):
    call_command("setup_demo", stdout=io.StringIO())
    kenya = Network.objects.get(slug="kenya")
    assert kenya.email == "secretariat.kenya@demo.convene.invalid"  # the demo's Secretariat has a mailbox
    exported = charter.export(kenya)
    data = yaml.safe_load(exported)
    assert data["network"]["email"] == kenya.email
    assert any(b["kind"] == "working_group" for b in data["bodies"])
    assert "representatives" in data["bodies"][0]["memberships"][0]
    result = charter.load(exported)
    assert (result.created, result.updated) == (0, 0)


VALID = """
network: {slug: testland, name: Testland Network, country: TL, timezone: UTC}
bodies:
  - slug: network
    name: Plenary
    kind: plenary
    memberships:
      - {organisation: IOM}
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("network: [unclosed", "not valid YAML"),
        ("- just a list", "a charter is a mapping"),
        (VALID.replace("kind: plenary", "kind: senate"), "line 6, bodies.0.kind: 'senate' is not one of"),
        (VALID.replace("country: TL, ", ""), "'country' is a required property"),
        (VALID.replace("timezone: UTC", "timezone: Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
        (VALID.replace("timezone: UTC", "timezone: UTC, languages: [en, xx]"), "'xx' is not one of"),
        (
            VALID.replace("timezone: UTC", "timezone: UTC, languages: [ru, kk], language: en"),
            "line 2, network.language: the default language is not one of `languages`",
        ),
        (VALID.replace("{organisation: IOM}", "{organisation: NOPE}"), "unknown organisation 'NOPE'"),
        (VALID.replace("timezone: UTC", "timezone: UTC, email: secretariat"), "is not a 'email'"),
        (
            VALID.replace("timezone: UTC", "timezone: UTC, email: 'a@b@testland'"),
            "line 2, network.email: not an e-mail address: 'a@b@testland'",
        ),
        (VALID + "  - {slug: network, name: Again, kind: unct}\n", "body slug 'network' is used twice"),
        (
            VALID.replace(
                "{organisation: IOM}", "{organisation: IOM, start_date: 2024-05-01, end_date: 2024-01-01}"
            ),
            "the end date is before the start date",
        ),
        (
            VALID.replace("{organisation: IOM}", "{organisation: IOM, start_date: 2024-02-30}"),
            "is not a 'date'",
        ),
        (
            VALID.replace(
                "{organisation: IOM}",
                "{organisation: IOM, status: applied, representatives: [{email: a@b.org, name: A}]}",
            ),
            "is not a member",
        ),
        (
            VALID + "rules: [{key: r, kind: annual_meeting, title: T, authority: nobody}]\n",
            "no body 'nobody'",
        ),
        # A parameter no code reads is refused rather than loaded and ignored.
        (
            VALID + "rules: [{key: r, kind: meeting_frequency, title: T, params: {period: quarter}}]\n",
            "Additional properties are not allowed ('period' was unexpected)",
        ),
        (
            VALID + "rules: [{key: r, kind: members_list, title: T, params: {interval_days: 0}}]\n",
            "0 is less than the minimum of 1",
        ),
        (
            VALID
            + "rules: [{key: r, kind: members_list, title: T, params: {chosen_by_network: [warn_days]}}]\n",
            "'warn_days' is not one of ['interval_days']",
        ),
        (
            VALID + "rules: [{key: r, kind: reporting, title: T, params: {audiences: [UNCT]}}]\n",
            "'UNCT' is not one of",
        ),
        (
            VALID + "rules: [{key: r, kind: confidentiality, title: T, params: {default_level: internal}}]\n",
            "'default_level' was unexpected",
        ),
    ],
)
def test_invalid_charter_is_refused_with_its_location_and_changes_nothing(db, text, message):
    before = (Network.objects.count(), ChangeLog.objects.count())
    with pytest.raises(charter.CharterError) as exc:
        charter.load(text)
    assert message in str(exc.value)
    assert (Network.objects.count(), ChangeLog.objects.count()) == before


def test_a_failure_midway_rolls_back_everything(db, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(charter, "_organisation_index", boom)
    with pytest.raises(RuntimeError):
        charter.load(VALID)
    assert not Network.objects.filter(slug="testland").exists()


def test_command_reports_errors_with_file_and_line(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID.replace("kind: plenary", "kind: senate"))
    with pytest.raises(CommandError) as exc:
        call_command("charter", "load", str(bad))
    assert f"{bad}:line 6, bodies.0.kind" in str(exc.value)
    assert not Network.objects.filter(slug="testland").exists()


def test_command_exports_and_rejects_unknown_network(kenya, tmp_path, capsys):
    out = tmp_path / "kenya.yaml"
    call_command("charter", "export", "kenya", "-o", str(out))
    assert yaml.safe_load(out.read_text())["network"]["slug"] == "kenya"
    with pytest.raises(CommandError, match="No network 'atlantis'"):
        call_command("charter", "export", "atlantis")
