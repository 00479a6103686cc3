"""The charter's powers hold: where it names the body that admits members, establishes, changes or
abolishes working groups and selects their co-chairs, the Secretariat cannot do it directly (service,
page, API, admin). It puts the matter to that body, or records the decision that body took
elsewhere; the register says which."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from convene.decisions import services
from convene.decisions import testing as charter_powers
from convene.decisions.models import Decision, Proposal
from convene.networks import services as network_services
from convene.networks.models import Body, Membership, Organisation

API = "/api/v1/networks/kenya"
REFUSED = "The charter gives this decision to Executive Committee"


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


@pytest.fixture
def application(kenya):
    return network_services.apply_for_membership(by=None, network=kenya, organisation=org("UN-Habitat"))


@pytest.fixture
def group(kenya):
    group = charter_powers.establish_working_group(network=kenya, name="TWG Returns")
    for acronym in ("ILO", "IOM"):
        network_services.add_membership(by=None, body=group, organisation=org(acronym))
    return group


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


# The question, asked in one place ---------------------------------------------------------------


def test_each_network_answers_which_body_holds_each_power(kenya, kazakhstan):
    ec = kenya.bodies.get(slug="executive-committee")
    for power in (
        "admit_member",
        "establish_working_group",
        "change_working_group",
        "abolish_working_group",
        "select_co_chairs",
        "adopt_workplan",
    ):
        assert kenya.authority_for(power) == ec
        assert not kenya.decides_for_itself(power)
    # Kazakhstan: working groups by the Network (the charter as loaded); new members: nobody named.
    assert kazakhstan.authority_for("establish_working_group").slug == "network"
    assert kazakhstan.authority_for("admit_member") is None
    assert kazakhstan.decides_for_itself("admit_member")


# Service ----------------------------------------------------------------------------------------


def test_the_secretariat_cannot_admit_a_member_directly_in_kenya(application, kenya_secretariat):
    with pytest.raises(ValidationError, match=REFUSED):
        network_services.decide_membership_application(
            by=kenya_secretariat, membership=application, approve=True
        )
    application.refresh_from_db()
    assert application.status == "applied" and application.decided_by is None


def test_the_secretariat_cannot_add_a_member_to_kenyas_network_directly(kenya, kenya_secretariat):
    with pytest.raises(ValidationError, match="admits new members"):
        network_services.add_membership(
            by=kenya_secretariat, body=kenya.bodies.get(slug="network"), organisation=org("UN-Habitat")
        )
    assert not Membership.objects.filter(organisation=org("UN-Habitat"), body__network=kenya).exists()


def test_the_secretariat_cannot_shape_working_groups_directly_in_kenya(kenya, kenya_secretariat, group):
    with pytest.raises(ValidationError, match=REFUSED):
        network_services.establish_working_group(by=kenya_secretariat, network=kenya, name="TWG Data")
    with pytest.raises(ValidationError, match=REFUSED):
        network_services.update_working_group(by=kenya_secretariat, body=group, focus="Something else")
    with pytest.raises(ValidationError, match=REFUSED):
        network_services.abolish_working_group(by=kenya_secretariat, body=group)
    with pytest.raises(ValidationError, match=REFUSED):
        network_services.set_co_chairs(by=kenya_secretariat, body=group, organisations=[org("ILO")])
    with pytest.raises(ValidationError, match="selected on their own page"):
        network_services.add_membership(
            by=kenya_secretariat, body=group, organisation=org("UNHCR"), role="co_chair"
        )
    group.refresh_from_db()
    assert not kenya.bodies.filter(name="TWG Data").exists()
    assert group.focus == "" and group.abolished_on is None
    assert not group.memberships.filter(role="co_chair").exists()


def test_a_decision_of_another_body_or_on_another_matter_does_not_authorise(kenya, group, application):
    other = network_services.apply_for_membership(by=None, network=kenya, organisation=org("UNOPS"))
    decision = charter_powers._record(
        by=None, network=kenya, kind=Proposal.Kind.ADMIT_MEMBER, membership=other, payload={}
    )
    with pytest.raises(ValidationError, match="another application"):
        network_services.decide_membership_application(
            by=None, membership=application, approve=True, decision=decision
        )
    with pytest.raises(ValidationError, match="not a decision of Executive Committee on this matter"):
        network_services.abolish_working_group(by=None, body=group, decision=decision)


def test_kazakhstan_admission_is_the_secretariats_own_and_recorded_as_such(
    kazakhstan, kazakhstan_secretariat
):
    application = network_services.apply_for_membership(by=None, network=kazakhstan, organisation=org("WFP"))
    network_services.decide_membership_application(
        by=kazakhstan_secretariat, membership=application, approve=True
    )
    application.refresh_from_db()
    assert application.status == "active"
    assert application.decided_by == kazakhstan.bodies.get(kind=Body.Kind.SECRETARIAT)


# A decision taken elsewhere ---------------------------------------------------------------------


@pytest.mark.clock
def test_a_decision_taken_elsewhere_admits_and_enters_the_register_marked_as_such(
    kenya, application, kenya_secretariat
):
    decided_on = kenya.today() - datetime.timedelta(days=2)
    decision = services.record_decision_taken_elsewhere(
        by=kenya_secretariat,
        network=kenya,
        kind=Proposal.Kind.ADMIT_MEMBER,
        membership=application,
        decided_on=max(decided_on, application.applied_on),
        reference="EC/2026/12",
        evidence="https://example.org/ec-minutes-12",
    )
    application.refresh_from_db()
    assert application.status == "active"
    assert application.decided_by.slug == "executive-committee"
    assert application.decision_note == decision.number
    assert decision.adopted_by == Decision.AdoptedBy.RECORDED and decision.is_recorded
    assert decision.body.slug == "executive-committee" and decision.reference == "EC/2026/12"
    assert kenya.today(decision.adopted_at) == max(decided_on, application.applied_on)
    assert "Recorded by the Secretariat: decided by Executive Committee" in decision.provenance
    assert "(ref. EC/2026/12)" in decision.provenance
    assert decision.proposal.status == Proposal.Status.ADOPTED
    assert decision.proposal.outcome_note == decision.provenance


def test_a_decision_put_to_the_executive_committee_says_so(kenya, application, propose, kenya_secretariat):
    proposal = propose(kind="admit_member", membership=application, title="Admit UN-Habitat")
    services.close_proposal(by=kenya_secretariat, proposal=proposal)
    decision = Decision.objects.get()
    application.refresh_from_db()
    assert application.status == "active" and application.decided_by.slug == "executive-committee"
    assert not decision.is_recorded
    assert decision.provenance == f"Decided by proposal {decision.number}"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decided_on": None}, "decided_on"),
        ({"decided_on": "tomorrow"}, "decided_on"),
        ({"reference": " "}, "reference"),
        ({"evidence": ""}, "evidence"),
    ],
)
@pytest.mark.clock
def test_a_decision_taken_elsewhere_needs_a_past_date_a_reference_and_evidence(
    kenya, application, kenya_secretariat, changes, field
):
    values = {"decided_on": kenya.today(), "reference": "EC/1", "evidence": "minutes"} | changes
    if values["decided_on"] == "tomorrow":
        values["decided_on"] = kenya.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        services.record_decision_taken_elsewhere(
            by=kenya_secretariat, network=kenya, kind="admit_member", membership=application, **values
        )
    assert field in raised.value.message_dict
    application.refresh_from_db()
    assert application.status == "applied" and not Decision.objects.exists()
    assert not Proposal.objects.exists()


def test_a_rejection_taken_elsewhere_rejects(kenya, application, kenya_secretariat):
    decision = services.record_decision_taken_elsewhere(
        by=kenya_secretariat,
        network=kenya,
        kind="admit_member",
        membership=application,
        decided_on=kenya.today(),
        reference="EC/3",
        evidence="minutes",
        payload={"approve": False},
    )
    application.refresh_from_db()
    assert application.status == "rejected" and application.decided_by.slug == "executive-committee"
    assert decision.title == "Application of UN-Habitat rejected"


# Pages ------------------------------------------------------------------------------------------


def test_the_pages_point_to_the_executive_committee_and_change_nothing_when_posted(
    client, kenya, kenya_secretariat, application, group
):
    client.force_login(kenya_secretariat)
    url = reverse("networks:application_decide", args=["kenya", application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Put it to Executive Committee" in page.content
    assert f"kind=admit_member&amp;membership={application.pk}".encode() in page.content
    response = client.post(url, {"approve": "1"})
    assert response.status_code == 409 and b"nothing was changed" in response.content
    application.refresh_from_db()
    assert application.status == "applied"

    posts = [
        (
            reverse("networks:working_group_new", args=["kenya"]),
            {"name": "TWG Data", "permanence": "permanent"},
        ),
        (
            reverse("networks:working_group_edit", args=["kenya", group.slug]),
            {"name": "Renamed", "permanence": "permanent"},
        ),
        (reverse("networks:working_group_abolish", args=["kenya", group.slug]), {}),
        (reverse("networks:co_chairs", args=["kenya", group.slug]), {"organisations": [org("ILO").pk]}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 409, url
    group.refresh_from_db()
    assert group.name == "TWG Returns" and group.abolished_on is None
    assert not kenya.bodies.filter(name="TWG Data").exists()
    assert not group.memberships.filter(role="co_chair").exists()


def test_the_secretariat_records_a_decision_taken_elsewhere_on_its_page(
    client, kenya, kenya_secretariat, group
):
    client.force_login(kenya_secretariat)
    url = (
        reverse("decisions:decision_record", args=["kenya"])
        + f"?kind=select_co_chairs&working_group={group.pk}"
    )
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "working_group": group.pk,
            "co_chairs": [org("ILO").pk],
            "decided_on": kenya.today().isoformat(),
            "reference": "EC/2026/7",
            "evidence": "EC minutes, item 4",
        },
    )
    assert response.status_code == 302, response.content
    co_chair = group.memberships.get(role="co_chair")
    assert co_chair.organisation.acronym == "ILO"
    decision = Decision.objects.get(proposal__kind="select_co_chairs")
    register = client.get(reverse("decisions:register", args=["kenya"]))
    assert decision.number.encode() in register.content
    assert b"Taken elsewhere, recorded by the Secretariat" in register.content
    detail = client.get(reverse("decisions:proposal", args=["kenya", decision.proposal_id]))
    assert b"EC/2026/7" in detail.content


def test_only_the_secretariat_records_decisions_taken_elsewhere(client, kenya_member):
    client.force_login(kenya_member)
    url = reverse("decisions:decision_record", args=["kenya"]) + "?kind=establish_working_group"
    assert client.get(url).status_code == 403


# API --------------------------------------------------------------------------------------------


def test_the_api_refuses_the_direct_calls_and_records_a_decision_taken_elsewhere(
    client, kenya, kenya_secretariat, application, group
):
    client.force_login(kenya_secretariat)
    response = post_json(client, f"{API}/memberships/{application.pk}/decide/", {"approve": True})
    assert response.status_code == 400 and REFUSED in str(response.json())
    assert post_json(client, f"{API}/bodies/", {"name": "TWG Data"}).status_code == 400
    assert (
        client.patch(
            f"{API}/bodies/{group.slug}/", {"focus": "X"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert post_json(client, f"{API}/bodies/{group.slug}/abolish/", {}).status_code == 400
    assert (
        post_json(client, f"{API}/bodies/{group.slug}/co-chairs/", {"organisations": ["ILO"]}).status_code
        == 400
    )
    application.refresh_from_db()
    group.refresh_from_db()
    assert application.status == "applied" and group.focus == "" and group.abolished_on is None

    response = post_json(
        client,
        f"{API}/decisions/record/",
        {
            "kind": "admit_member",
            "membership": application.pk,
            "decided_on": kenya.today().isoformat(),
            "reference": "EC/2026/9",
            "evidence": "https://example.org/ec/9",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["adopted_by"] == "recorded" and response.json()["reference"] == "EC/2026/9"
    application.refresh_from_db()
    assert application.status == "active" and application.decided_by.slug == "executive-committee"
    missing = post_json(client, f"{API}/decisions/record/", {"kind": "establish_working_group"})
    assert missing.status_code == 400


# Admin ------------------------------------------------------------------------------------------


def test_the_admin_shows_but_does_not_change_what_the_charter_gives_to_a_body(admin_client, application):
    url = f"/admin/networks/membership/{application.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    admin_client.post(
        url, {"status": "active", "role": "member", "start_date": "", "end_date": "", "note": "x"}
    )
    application.refresh_from_db()
    assert application.status == "applied" and application.decided_by is None
    assert admin_client.get("/admin/networks/membership/add/").status_code == 403
    assert admin_client.get("/admin/networks/body/add/").status_code == 403
    body = application.body
    admin_client.post(
        f"/admin/networks/body/{body.pk}/change/", {"name": "Renamed", "abolished_on": "2026-01-01"}
    )
    body.refresh_from_db()
    assert body.name != "Renamed" and body.abolished_on is None


# Workplans: adopted by the body's decision, already ---------------------------------------------


def test_a_workplan_is_adopted_only_by_its_decision_and_not_in_the_admin(
    admin_client, kenya, kenya_secretariat
):
    from convene.workplans import services as workplans
    from convene.workplans.models import Workplan

    workplan = workplans.create_workplan(by=kenya_secretariat, network=kenya, year=kenya.today().year)
    admin_client.post(
        f"/admin/workplans/workplan/{workplan.pk}/change/",
        {
            "title": workplan.title,
            "summary": "",
            "year": workplan.year,
            "status": "adopted",
            "network": kenya.pk,
        },
    )
    workplan.refresh_from_db()
    assert workplan.status == Workplan.Status.DRAFT and workplan.decision_id is None
