"""Kazakhstan's Ministry of Labour: every proposal answers "does this concern the state?"; yes opens
the consultation, which cannot be dropped or skipped; the Ministry's focal point answers it, and sees
nothing else of the network."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from convene.core.models import ChangeLog, OutboundEmail
from convene.decisions import services
from convene.decisions.models import Consultation, FocalPoint, Proposal
from convene.networks.models import Organisation

KZ_API = "/api/v1/networks/kazakhstan"


def mol():
    return Organisation.objects.get(acronym="MOL", country="KZ")


@pytest.fixture
def kz_propose(kazakhstan, kazakhstan_secretariat):
    def make(**fields):
        values = {"title": "Labour migration brief", "text": "The Network shares the brief."} | fields
        return services.propose(
            by=kazakhstan_secretariat,
            network=kazakhstan,
            body=kazakhstan.bodies.get(slug="network"),
            **values,
        )

    return make


@pytest.fixture
def focal_point(kazakhstan, kazakhstan_secretariat):
    return services.designate_focal_point(
        by=kazakhstan_secretariat,
        network=kazakhstan,
        organisation=mol(),
        email="focal@mol.kz",
        full_name="Aigerim MOL",
    ).person


def test_every_kazakhstan_proposal_says_whether_it_concerns_the_state(kz_propose):
    with pytest.raises(ValidationError) as raised:
        kz_propose()
    assert "concerns_state" in raised.value.message_dict
    assert "Ministry of Labour" in raised.value.message_dict["concerns_state"][0]
    assert not Proposal.objects.exists()
    proposal = kz_propose(concerns_state=False)
    assert proposal.concerns_state is False and not proposal.consultations.exists()


def test_kenya_has_no_such_question(propose):
    assert propose(concerns_state=True).concerns_state is None


def test_yes_opens_the_ministry_consultation_and_adoption_waits_for_it(
    kazakhstan, kz_members, kz_propose, kazakhstan_secretariat
):
    proposal = kz_propose(concerns_state=True)
    consultation = proposal.consultations.get()
    assert consultation.organisation == mol() and consultation.required
    for acronym in kz_members:
        organisation = Organisation.objects.get(acronym=acronym, country__in=["", "KZ"])
        services.record_position(
            by=kazakhstan_secretariat,
            proposal=proposal,
            organisation=organisation,
            stance="agree",
            channel="email",
        )
    with pytest.raises(ValidationError, match="mandatory consultation is missing"):
        services.close_proposal(by=kazakhstan_secretariat, proposal=proposal)
    services.record_consultation(
        by=kazakhstan_secretariat,
        consultation=consultation,
        consulted_on=kazakhstan.today(),
        consulted="Vice-minister, by letter",
        outcome="No objection",
    )
    services.close_proposal(by=kazakhstan_secretariat, proposal=proposal)
    assert proposal.status == Proposal.Status.ADOPTED


def test_the_answer_goes_from_no_to_yes_but_never_back(kz_propose, kazakhstan_secretariat):
    proposal = kz_propose(concerns_state=False)
    services.update_proposal(by=kazakhstan_secretariat, proposal=proposal, concerns_state=True)
    proposal.refresh_from_db()
    assert proposal.concerns_state is True
    assert proposal.consultations.get().organisation == mol()
    assert ChangeLog.objects.filter(object_id=str(proposal.pk), changes__has_key="concerns_state").exists()
    with pytest.raises(ValidationError, match="stays one"):
        services.update_proposal(by=kazakhstan_secretariat, proposal=proposal, concerns_state=False)
    proposal.refresh_from_db()
    assert proposal.concerns_state is True and proposal.consultations.count() == 1
    with pytest.raises(ValidationError, match="concerns the state"):
        kz_propose(concerns_state=False, consultations=[proposal.consultations.get().rule])


def test_the_proposal_page_asks_the_question(client, kazakhstan, kazakhstan_secretariat, kz_members):
    client.force_login(kazakhstan_secretariat)
    url = reverse("decisions:proposal_new", args=["kazakhstan"])
    assert "Does this concern the state?" in client.get(url).content.decode()
    data = {
        "title": "Brief",
        "text": "Share it.",
        "body": kazakhstan.bodies.get(slug="network").pk,
        "procedure": "meeting",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "This field is required" in response.content.decode()
    response = client.post(url, data | {"concerns_state": "1"})
    assert response.status_code == 302
    assert Proposal.objects.get().consultations.get().organisation == mol()


def test_the_api_asks_the_question(client, kazakhstan_secretariat, kz_members):
    client.force_login(kazakhstan_secretariat)
    data = {"title": "Brief", "text": "Share it."}
    response = client.post(f"{KZ_API}/proposals/", data, content_type="application/json")
    assert response.status_code == 400 and "concerns_state" in response.json()
    response = client.post(
        f"{KZ_API}/proposals/", data | {"concerns_state": True}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["concerns_state"] is True and body["consultations"][0]["organisation"] == "MOL"
    undo = client.post(
        f"{KZ_API}/proposals/{body['id']}/concerns-state/",
        {"concerns_state": False},
        content_type="application/json",
    )
    assert undo.status_code == 400


# The Ministry's focal point ---------------------------------------------------------------------


def test_the_focal_point_is_told_of_a_consultation_put_to_the_ministry(focal_point, kz_propose):
    proposal = kz_propose(concerns_state=True)
    [mail] = OutboundEmail.objects.filter(topic="consultation")
    assert mail.to == ["focal@mol.kz"] and proposal.title in mail.subject
    assert f"/n/kazakhstan/consultations/{proposal.consultations.get().pk}/" in mail.body


def test_only_an_organisation_the_charter_consults_gets_a_focal_point(kazakhstan, kazakhstan_secretariat):
    with pytest.raises(ValidationError, match="names no consultation"):
        services.designate_focal_point(
            by=kazakhstan_secretariat,
            network=kazakhstan,
            organisation=Organisation.objects.get(acronym="MFA", country="KZ"),
            email="x@mfa.kz",
            full_name="X",
        )
    assert not FocalPoint.objects.exists()


def test_the_secretariat_designates_and_ends_focal_points_on_a_page(
    client, kazakhstan, kazakhstan_secretariat, seat
):
    url = reverse("decisions:focal_points", args=["kazakhstan"])
    client.force_login(seat(kazakhstan, "network", "UNFPA"))
    assert client.get(url).status_code == 403
    client.force_login(kazakhstan_secretariat)
    response = client.post(url, {"organisation": mol().pk, "email": "focal@mol.kz", "full_name": "Aigerim"})
    assert response.status_code == 302
    focal = FocalPoint.objects.get()
    assert focal.person.email == "focal@mol.kz" and focal.ended_on is None
    client.post(url, {"end": focal.pk})
    focal.refresh_from_db()
    assert focal.ended_on == kazakhstan.today()


def test_the_focal_point_sees_only_the_ministrys_consultations_and_answers_them(
    client, kazakhstan, focal_point, kz_propose, kazakhstan_secretariat
):
    put = kz_propose(concerns_state=True, title="For the Ministry").consultations.get()
    other = services.add_consultation(
        by=kazakhstan_secretariat, proposal=kz_propose(concerns_state=False, title="Not for it"), title="UNDP"
    )
    client.force_login(focal_point)
    listing = client.get(reverse("decisions:consultations", args=["kazakhstan"])).content.decode()
    assert "For the Ministry" in listing and "Not for it" not in listing
    assert client.get(reverse("decisions:consultation", args=["kazakhstan", other.pk])).status_code == 404
    for name in (
        "networks:home",
        "networks:members",
        "decisions:proposals",
        "meetings:list",
        "decisions:register",
    ):
        assert client.get(reverse(name, args=["kazakhstan"])).status_code == 404, name
    assert client.get(reverse("decisions:proposal", args=["kazakhstan", put.proposal_id])).status_code == 404
    assert client.get(f"{KZ_API}/proposals/").status_code == 404
    assert [c["id"] for c in client.get(f"{KZ_API}/consultations/").json()["results"]] == [put.pk]

    response = client.post(
        f"{KZ_API}/consultations/{put.pk}/record/",
        {
            "consulted_on": kazakhstan.today().isoformat(),
            "consulted": "Aigerim, Director",
            "outcome": "Agrees",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    put.refresh_from_db()
    assert put.status == Consultation.Status.DONE and put.recorded_by == focal_point
    assert put.organisation == mol() and put.consulted == "Aigerim, Director"
    again = client.post(
        reverse("decisions:consultation", args=["kazakhstan", put.pk]),
        {"consulted_on": kazakhstan.today().isoformat(), "consulted": "X", "outcome": "Changed"},
    )
    assert again.status_code == 403
    put.refresh_from_db()
    assert put.outcome == "Agrees"


def test_an_ended_focal_point_sees_nothing(client, focal_point, kz_propose, kazakhstan_secretariat):
    kz_propose(concerns_state=True)
    services.end_focal_point(by=kazakhstan_secretariat, focal_point=FocalPoint.objects.get())
    client.force_login(focal_point)
    assert client.get(reverse("decisions:consultations", args=["kazakhstan"])).status_code == 404
    assert client.get(f"{KZ_API}/consultations/").status_code == 404
