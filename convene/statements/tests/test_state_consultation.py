"""Kazakhstan: a statement "relevant to the state" goes to the Ministry of Labour as it goes to the
seats; the consultation follows the text while pending, is opened again after a substantive change
once answered, and sign-off waits for the answer. The Ministry's focal point reads the text in each
language it is written in, and nothing else."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from convene.core.models import OutboundEmail
from convene.decisions import services as decisions
from convene.decisions.models import Consultation
from convene.networks.models import Organisation
from convene.statements import services
from convene.statements.models import Statement

pytestmark = pytest.mark.clock
API = "/api/v1/networks/kazakhstan/statements"
TEXTS = {
    "ru": {"title": "О трудовой миграции", "text": "Первый абзац.\n\nВторой абзац."},
    "en": {"title": "On labour migration", "text": "First paragraph.\n\nSecond paragraph."},
}


def org(acronym, **extra):
    return Organisation.objects.get(acronym=acronym, **extra)


def mol():
    return org("MOL", country="KZ")


@pytest.fixture
def focal_point(kazakhstan, kazakhstan_secretariat):
    return decisions.designate_focal_point(
        by=kazakhstan_secretariat,
        network=kazakhstan,
        organisation=mol(),
        email="focal@mol.kz",
        full_name="Aigerim MOL",
    ).person


@pytest.fixture
def co_chairs(kazakhstan, seat):
    return seat(kazakhstan, "co-chairs", "UN RCO", role="co_chair"), seat(
        kazakhstan, "co-chairs", "IOM", role="co_chair"
    )


def draft(network, **extra):
    return services.draft_statement(
        by=None,
        network=network,
        body=network.bodies.get(kind="plenary"),
        title="On labour migration",
        texts=TEXTS,
        authoritative_language="ru",
        **extra,
    )


def cleared(statement):
    round = services.put_to_clearance(by=None, statement=statement)
    services.close_round(by=None, round=round, now=round.deadline)
    statement.refresh_from_db()
    return round


def answer(consultation, outcome="The Ministry agrees."):
    return decisions.record_consultation(
        by=None,
        consultation=consultation,
        consulted_on=consultation.network.today(),
        consulted="Director, Migration Department",
        outcome=outcome,
    )


def test_a_kazakhstan_statement_says_whether_it_concerns_the_state_before_clearance(kazakhstan):
    statement = draft(kazakhstan)
    with pytest.raises(ValidationError) as raised:
        services.put_to_clearance(by=None, statement=statement)
    assert "Ministry of Labour" in raised.value.message_dict["concerns_state"][0]
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT and not statement.rounds.exists()
    services.update_statement(by=None, statement=statement, concerns_state=False)
    services.put_to_clearance(by=None, statement=statement)
    assert not statement.consultations.exists()


def test_kenya_has_no_such_question(kenya):
    statement = services.draft_statement(
        by=None,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title="On labour migration",
        texts={"en": TEXTS["en"]},
        authoritative_language="en",
        concerns_state=True,
    )
    assert statement.concerns_state is None
    services.put_to_clearance(by=None, statement=statement)
    assert not Consultation.objects.exists()


def test_the_ministry_gets_the_text_in_every_language_and_sign_off_waits_for_its_answer(
    kazakhstan, focal_point, co_chairs
):
    rc, iom = co_chairs
    statement = draft(kazakhstan, concerns_state=True)
    assert not Consultation.objects.exists()  # a draft stays with its drafters
    cleared(statement)
    [consultation] = statement.consultations.all()
    assert consultation.organisation == mol() and consultation.proposal is None
    assert consultation.subject["version"] == 1 and consultation.subject["texts"] == TEXTS
    [mail] = OutboundEmail.objects.filter(topic="consultation")
    # In the focal point's language (Russian, the network's), where the statement is written in it.
    assert mail.to == ["focal@mol.kz"] and "О трудовой миграции" in mail.subject
    assert "Первый абзац." in mail.body and "First paragraph." not in mail.body
    assert f"/n/kazakhstan/consultations/{consultation.pk}/" in mail.body

    with pytest.raises(ValidationError, match="has not answered yet"):
        services.sign_off(by=rc, statement=statement, organisation=org("UN RCO"))
    assert not statement.sign_offs.exists()
    answer(consultation)
    services.sign_off(by=rc, statement=statement, organisation=org("UN RCO"))
    services.sign_off(by=iom, statement=statement, organisation=org("IOM"))
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ISSUED


def test_a_pending_consultation_follows_an_editorial_change(kazakhstan, focal_point):
    statement = draft(kazakhstan, concerns_state=True)
    services.put_to_clearance(by=None, statement=statement)
    changed = {**TEXTS, "en": {"title": "", "text": "First paragraph, reworded.\n\nSecond paragraph."}}
    services.revise_statement(
        by=None, statement=statement, texts=changed, authoritative_language="ru", editorial=True
    )
    [consultation] = statement.consultations.all()
    assert consultation.subject["version"] == 2 and consultation.subject["texts"]["en"] == changed["en"]
    assert consultation.status == Consultation.Status.PENDING


def test_a_substantive_change_after_the_answer_is_put_to_the_ministry_again(kazakhstan, focal_point):
    statement = draft(kazakhstan, concerns_state=True)
    first_round = services.put_to_clearance(by=None, statement=statement)
    answer(statement.consultations.get())
    # An editorial change after the answer needs no new consultation.
    services.revise_statement(
        by=None,
        statement=statement,
        texts={**TEXTS, "en": {"title": "", "text": "First paragraph.\n\nSecond paragraph, tidied."}},
        authoritative_language="ru",
        editorial=True,
    )
    assert statement.consultations.count() == 1
    services.close_round(by=None, round=first_round, now=first_round.deadline)
    statement.refresh_from_db()
    services.revise_statement(
        by=None,
        statement=statement,
        texts={"ru": {"title": "", "text": "Другой текст."}},
        authoritative_language="ru",
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    services.put_to_clearance(by=None, statement=statement)
    done, again = statement.consultations.order_by("pk")
    assert done.status == Consultation.Status.DONE and done.subject["version"] == 1
    assert again.status == Consultation.Status.PENDING and again.subject["version"] == 3
    assert OutboundEmail.objects.filter(topic="consultation").count() == 2


def test_saying_yes_during_clearance_consults_at_once_and_the_answer_never_goes_back(kazakhstan):
    statement = draft(kazakhstan, concerns_state=False)
    services.put_to_clearance(by=None, statement=statement)
    services.update_statement(by=None, statement=statement, concerns_state=True)
    assert statement.consultations.get().subject["version"] == 1
    with pytest.raises(ValidationError) as raised:
        services.update_statement(by=None, statement=statement, concerns_state=False)
    assert "concerns_state" in raised.value.message_dict
    statement.refresh_from_db()
    assert statement.concerns_state is True


def test_withdrawing_the_statement_withdraws_its_consultation(kazakhstan, focal_point):
    statement = draft(kazakhstan, concerns_state=True)
    services.put_to_clearance(by=None, statement=statement)
    services.withdraw_statement(by=None, statement=statement, reason="Overtaken by events.")
    consultation = statement.consultations.get()
    assert consultation.status == Consultation.Status.WITHDRAWN and not consultation.is_open
    with pytest.raises(ValidationError, match="closed"):
        answer(consultation)


def test_the_focal_point_reads_the_text_in_each_language_answers_and_sees_nothing_else(
    client, kazakhstan, focal_point
):
    statement = draft(kazakhstan, concerns_state=True)
    services.put_to_clearance(by=None, statement=statement)
    consultation = statement.consultations.get()
    client.force_login(focal_point)
    listing = client.get(reverse("decisions:consultations", args=["kazakhstan"])).content.decode()
    assert "On labour migration" in listing
    url = reverse("decisions:consultation", args=["kazakhstan", consultation.pk])
    page = client.get(url).content.decode()
    assert "Первый абзац." in page and "First paragraph." in page
    assert page.index("Первый абзац.") < page.index("First paragraph.")  # the authoritative text first
    assert client.get(reverse("statements:statement", args=["kazakhstan", statement.pk])).status_code == 404
    assert client.get(f"{API}/{statement.pk}/").status_code == 404
    response = client.post(
        url,
        {"consulted_on": kazakhstan.today().isoformat(), "consulted": "Director", "outcome": "Agrees."},
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.DONE and consultation.recorded_by == focal_point


def test_members_see_the_ministrys_answer_on_the_statement_page(
    client, kazakhstan, focal_point, kazakhstan_secretariat
):
    statement = draft(kazakhstan, concerns_state=True)
    cleared(statement)
    client.force_login(kazakhstan_secretariat)
    url = reverse("statements:statement", args=["kazakhstan", statement.pk])
    page = client.get(url).content.decode()
    assert "Sign-off waits for the answer." in page
    answer(statement.consultations.get(), outcome="No objection from the Ministry.")
    page = client.get(url).content.decode()
    assert "No objection from the Ministry." in page and "Sign-off waits" not in page


def test_the_draft_page_asks_the_question_and_the_clearance_form_asks_it_if_unanswered(
    client, kazakhstan, kazakhstan_secretariat
):
    client.force_login(kazakhstan_secretariat)
    form = {
        "body": kazakhstan.bodies.get(kind="plenary").pk,
        "kind": "joint_statement",
        "title": "On labour migration",
        "audience": "internal",
        "authoritative_language": "ru",
        "text_ru": "Текст.",
    }
    response = client.post(reverse("statements:statement_new", args=["kazakhstan"]), form)
    assert response.status_code == 422 and "Does this concern the state?" in response.content.decode()
    assert not Statement.objects.exists()
    response = client.post(
        reverse("statements:statement_new", args=["kazakhstan"]), {**form, "concerns_state": "1"}
    )
    assert response.status_code == 302 and Statement.objects.get().concerns_state is True

    unanswered = draft(kazakhstan)
    url = reverse("statements:statement_clearance", args=["kazakhstan", unanswered.pk])
    deadline = kazakhstan.localtime(timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"procedure": "silence", "deadline": deadline})
    assert "Does this concern the state?" in response.content.decode()
    unanswered.refresh_from_db()
    assert unanswered.status == Statement.Status.DRAFT


def test_the_api_takes_the_answer_and_shows_the_consultation(client, kazakhstan_secretariat, focal_point):
    client.force_login(kazakhstan_secretariat)
    body = {"title": "On labour migration", "texts": TEXTS, "authoritative_language": "ru"}
    created = client.post(f"{API}/", body, content_type="application/json").json()
    refused = client.post(f"{API}/{created['id']}/clearance/", {}, content_type="application/json")
    assert refused.status_code == 400 and "concerns_state" in refused.json()
    changed = client.patch(
        f"{API}/{created['id']}/", {"concerns_state": True}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["concerns_state"] is True
    assert (
        client.post(f"{API}/{created['id']}/clearance/", {}, content_type="application/json").status_code
        == 200
    )
    detail = client.get(f"{API}/{created['id']}/").json()
    [consultation] = detail["state_consultations"]
    assert consultation["organisation"] == "MOL" and consultation["status"] == "pending"
    assert consultation["version"] == 1


def test_the_particulars_page_asks_the_question_and_yes_in_clearance_consults_the_ministry(
    client, kazakhstan, kazakhstan_secretariat, focal_point
):
    statement = draft(kazakhstan, concerns_state=False)
    services.put_to_clearance(by=None, statement=statement)
    client.force_login(kazakhstan_secretariat)
    url = reverse("statements:statement_edit", args=["kazakhstan", statement.pk])
    form = client.get(url).content.decode()
    assert "Does this concern the state?" in form
    assert re.search(r'name="concerns_state" value="0"[^>]* checked', form)
    particulars = {"title": statement.title, "kind": statement.kind, "audience": statement.audience}
    assert client.post(url, {**particulars, "concerns_state": "1"}).status_code == 302
    assert statement.consultations.get().status == Consultation.Status.PENDING
    refused = client.post(url, {**particulars, "concerns_state": "0"})
    assert refused.status_code == 422 and "concerns the state" in refused.content.decode()
    statement.refresh_from_db()
    assert statement.concerns_state is True
