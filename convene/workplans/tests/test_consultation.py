"""Kenya's Executive Committee "decides on the annual workplan in consultation with other members of
the Network": members give their view on the draft before it is put to the EC."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from convene.core.models import ChangeLog, OutboundEmail
from convene.workplans import services
from convene.workplans.models import MemberView

API = "/api/v1/networks/kenya"


def url(name, *args):
    return reverse(f"workplans:{name}", args=["kenya", *args])


@pytest.fixture
def draft(workplan, activity_values):
    services.add_activity(by=None, workplan=workplan, **activity_values())
    return workplan


def test_asking_the_members_emails_their_representatives_and_is_audited(
    draft, kenya_secretariat, kenya_member, seat, kenya
):
    ec_only = seat(kenya, "executive-committee", "ILO")  # not a plenary seat: not asked here
    sent = services.open_consultation(by=kenya_secretariat, workplan=draft)
    mails = OutboundEmail.objects.filter(topic="workplan")
    recipients = {m.to[0] for m in mails}
    assert sent == len(recipients) and kenya_member.email in recipients and ec_only.email not in recipients
    assert mails.first().subject == f"[UNNM Kenya] Your view on the draft {draft.title}"
    assert ChangeLog.objects.filter(
        object_id=str(draft.pk), changes__has_key="consultation_opened_at"
    ).exists()
    with pytest.raises(ValidationError, match="already asked"):
        services.open_consultation(by=kenya_secretariat, workplan=draft)


def test_one_view_per_member_changeable_until_the_workplan_goes_to_the_ec(
    draft, kenya_secretariat, kenya_member, kenya
):
    fao = kenya_member.representations.get().membership.organisation
    with pytest.raises(ValidationError, match="not asked for their views"):
        services.give_view(by=kenya_member, workplan=draft, organisation=fao, text="Too early")
    services.open_consultation(by=kenya_secretariat, workplan=draft)
    services.give_view(by=kenya_member, workplan=draft, organisation=fao, text="Add a data activity.")
    services.give_view(by=kenya_member, workplan=draft, organisation=fao, text="Add a data activity in Q2.")
    [view] = MemberView.objects.filter(workplan=draft)
    assert view.text == "Add a data activity in Q2." and view.author == kenya_member
    with pytest.raises(ValidationError) as exc:
        services.give_view(by=kenya_member, workplan=draft, organisation=fao, text="   ")
    assert "text" in exc.value.message_dict
    proposal = services.submit_workplan(by=kenya_secretariat, workplan=draft)
    assert "Members' views (1 of 21 member organisations):" in proposal.text
    assert "FAO: Add a data activity in Q2." in proposal.text and "No view from: IFAD, ILO" in proposal.text
    with pytest.raises(ValidationError, match="can no longer change"):
        services.give_view(by=kenya_member, workplan=draft, organisation=fao, text="Later")
    assert MemberView.objects.get().text == "Add a data activity in Q2."


def test_the_views_section_through_the_pages(client, draft, kenya_secretariat, kenya_member):
    client.force_login(kenya_secretariat)
    page = client.get(url("detail", draft.pk)).content.decode()
    assert "Members&#x27; views" in page or "Members' views" in page
    assert client.post(url("consult", draft.pk)).status_code == 302
    client.force_login(kenya_member)
    assert client.post(url("consult", draft.pk)).status_code == 403
    page = client.get(url("detail", draft.pk)).content.decode()
    assert "Give your organisation" in page
    response = client.post(url("give_view", draft.pk), {"text": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    fao = kenya_member.representations.get().membership.organisation
    response = client.post(url("give_view", draft.pk), {"organisation": fao.pk, "text": "Fine by FAO."})
    assert response.status_code == 302
    client.force_login(kenya_secretariat)
    page = client.get(url("detail", draft.pk)).content.decode()
    assert "Fine by FAO." in page and "No view yet from:" in page and "IFAD" in page
    assert "FAO: Fine by FAO." in client.get(url("submit", draft.pk)).content.decode()


def test_someone_who_represents_no_member_cannot_give_a_view(client, draft, kenya_secretariat, seat, kenya):
    services.open_consultation(by=kenya_secretariat, workplan=draft)
    ec_only = seat(kenya, "executive-committee", "ILO")
    client.force_login(ec_only)
    assert client.post(url("give_view", draft.pk), {"text": "x"}).status_code == 403
    assert not MemberView.objects.exists()


def test_the_views_api(client, draft, kenya_secretariat, kenya_member):
    client.force_login(kenya_member)
    path = f"{API}/workplans/{draft.pk}/views/"
    refused = client.post(path, {"text": "Early"}, content_type="application/json")
    assert refused.status_code == 400 and "not asked" in str(refused.json())
    assert client.post(f"{API}/workplans/{draft.pk}/consult/").status_code == 403
    client.force_login(kenya_secretariat)
    assert client.post(f"{API}/workplans/{draft.pk}/consult/").json()["open"] is True
    client.force_login(kenya_member)
    given = client.post(path, {"text": "Agreed."}, content_type="application/json").json()
    assert given["views"][0]["organisation"] == "FAO" and given["pending"] is None
    other = client.post(path, {"organisation": "ILO", "text": "x"}, content_type="application/json")
    assert other.status_code == 403
    client.force_login(kenya_secretariat)
    listed = client.get(path).json()
    assert [v["text"] for v in listed["views"]] == ["Agreed."] and "FAO" not in listed["pending"]
    assert "IFAD" in listed["pending"]


def test_working_group_workplans_and_kazakhstan_are_not_consulted(kazakhstan, kazakhstan_secretariat):
    plan = services.create_workplan(by=None, network=kazakhstan, year=2027)
    with pytest.raises(ValidationError, match="does not ask"):
        services.open_consultation(by=kazakhstan_secretariat, workplan=plan)
