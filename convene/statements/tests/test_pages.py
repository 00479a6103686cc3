"""The statements' pages end to end: draft, revise, put to clearance, answer (and the Secretariat
for a seat), sign off, deliver, withdraw, comment; refusals for those without the right; bad input
shows its error and changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from convene.decisions import services as decisions
from convene.networks.models import Organisation
from convene.statements import services
from convene.statements.models import Clearance, Comment, Round, Statement

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
Answer = Clearance.Answer


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


def url(name, statement, *args):
    return reverse(f"statements:{name}", args=[statement.network.slug, statement.pk, *args])


def draft(network, by=None):
    return services.draft_statement(
        by=by,
        network=network,
        body=network.bodies.get(kind="plenary"),
        title="Joint statement on labour migration",
        texts={
            "ru": {"title": "Совместное заявление", "text": "Первый абзац.\n\nВторой абзац."},
            "en": {"title": "Joint statement", "text": "First paragraph.\n\nSecond paragraph."},
        },
        authoritative_language="ru",
        concerns_state=False,
    )


def new_statement_data(network, **extra):
    data = {
        "body": network.bodies.get(kind="plenary").pk,
        "kind": "joint_statement",
        "title": "On decent work for migrant workers",
        "audience": "government",
        "occasion": "Briefing to the Ministry of Labour",
        "occasion_date": "2027-01-20",
        "authoritative_language": "ru",
        "title_ru": "О достойном труде",
        "text_ru": "Первый абзац.\n\nВторой абзац.",
        "title_en": "On decent work",
        "text_en": "First paragraph.\n\nSecond paragraph.",
        "concerns_state": "0",
    }
    data.update(extra)
    return data


def test_the_secretariat_drafts_a_statement_in_two_languages(client, kazakhstan, kazakhstan_secretariat):
    from convene.workplans.models import GcmObjective

    client.force_login(kazakhstan_secretariat)
    listing = client.get(reverse("statements:statements", args=["kazakhstan"]), HTTP_ACCEPT_LANGUAGE="en")
    new = reverse("statements:statement_new", args=["kazakhstan"])
    assert new in listing.content.decode()
    page = client.get(new, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="text_ru"' in page and 'name="text_en"' in page and 'name="gcm_objectives"' in page
    objectives = list(GcmObjective.objects.order_by("pk")[:2])
    response = client.post(new, new_statement_data(kazakhstan, gcm_objectives=[o.pk for o in objectives]))
    statement = Statement.objects.get(network=kazakhstan)
    assert response.status_code == 302 and response["Location"] == url("statement", statement)
    assert statement.drafted_by == kazakhstan_secretariat and statement.audience == "government"
    assert set(statement.gcm_objectives.all()) == set(objectives)
    assert statement.occasion_date == datetime.date(2027, 1, 20)
    version = statement.versions.get()
    assert version.authoritative_language == "ru" and set(version.texts) == {"ru", "en"}
    assert version.paragraphs("en") == ["First paragraph.", "Second paragraph."]


def test_drafting_errors_are_shown_and_nothing_is_saved(client, kazakhstan, kazakhstan_secretariat):
    client.force_login(kazakhstan_secretariat)
    new = reverse("statements:statement_new", args=["kazakhstan"])
    # The authoritative language has no text.
    response = client.post(new, new_statement_data(kazakhstan, text_ru=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "The authoritative language must be one the statement is written in." in response.content.decode()
    response = client.post(new, new_statement_data(kazakhstan, title=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and "О достойном труде" in response.content.decode()  # kept
    assert not Statement.objects.exists()


def test_network_wide_is_a_choice_only_where_a_smaller_body_clears(
    client, kenya, kazakhstan, kenya_secretariat, kazakhstan_secretariat
):
    client.force_login(kenya_secretariat)
    assert (
        'name="network_wide"'
        in client.get(reverse("statements:statement_new", args=["kenya"])).content.decode()
    )
    client.force_login(kazakhstan_secretariat)
    page = client.get(reverse("statements:statement_new", args=["kazakhstan"])).content.decode()
    assert 'name="network_wide"' not in page


def test_a_member_may_not_draft(client, kazakhstan, seat):
    member = seat(kazakhstan, "network", "UNICEF")
    client.force_login(member)
    listing = client.get(reverse("statements:statements", args=["kazakhstan"])).content.decode()
    new = reverse("statements:statement_new", args=["kazakhstan"])
    assert new not in listing
    assert client.get(new).status_code == 403
    assert client.post(new, new_statement_data(kazakhstan)).status_code == 403
    assert not Statement.objects.exists()


def test_revise_makes_a_new_version_that_voids_clearances_unless_editorial(
    client, kazakhstan, kazakhstan_secretariat, seat
):
    member = seat(kazakhstan, "network", "UNICEF")
    statement = draft(kazakhstan)
    round = services.put_to_clearance(by=None, statement=statement)
    services.answer_clearance(by=member, round=round, organisation=org("UNICEF"), answer=Answer.CLEARED)
    revise = url("statement_revise", statement)
    client.force_login(member)
    assert client.get(revise).status_code == 403
    client.force_login(kazakhstan_secretariat)
    page = client.get(revise).content.decode()
    assert "Второй абзац." in page  # the latest text to start from
    data = {
        "authoritative_language": "ru",
        "text_ru": "Первый абзац.\n\nВторой абзац, уточнённый.",
        "text_en": "First paragraph.\n\nSecond paragraph, clarified.",
        "editorial": "on",
        "note": "Wording of the second paragraph",
    }
    assert client.post(revise, data).status_code == 302
    version = statement.versions.get(number=2)
    assert version.editorial and version.note == "Wording of the second paragraph"
    round.refresh_from_db()
    assert round.is_open and round.version == version  # editorial: the answers still count
    # The same text again: refused, shown on the form, no new version.
    response = client.post(revise, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and "Nothing changed" in response.content.decode()
    assert statement.versions.count() == 2
    data.pop("editorial")
    data["text_en"] = "Another text."
    assert client.post(revise, data).status_code == 302
    round.refresh_from_db()
    statement.refresh_from_db()
    assert round.outcome == Round.Outcome.VOIDED and statement.status == Statement.Status.DRAFT
    detail = client.get(url("statement", statement), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Wording of the second paragraph" in detail and "?v=2" in detail and "?v=3" in detail
    # The version switcher and the languages.
    old = client.get(url("statement", statement) + "?v=1&lang=en").content.decode()
    assert "Second paragraph." in old and "clarified" not in old
    assert client.get(url("statement", statement) + "?v=9").status_code == 404


def test_put_to_clearance_with_a_deadline_in_the_networks_time(client, kazakhstan, kazakhstan_secretariat):
    statement = draft(kazakhstan)
    client.force_login(kazakhstan_secretariat)
    page = client.get(url("statement", statement), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    default = kazakhstan.localtime(timezone.now() + datetime.timedelta(hours=72))
    assert f'value="{default:%Y-%m-%dT%H}' in page  # now + the silence period, on the network's clock
    put = url("statement_clearance", statement)
    past = kazakhstan.localtime(timezone.now() - datetime.timedelta(hours=2))
    response = client.post(
        put, {"procedure": "silence", "deadline": f"{past:%Y-%m-%dT%H:%M}"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422 and "at least an hour" in response.content.decode()
    assert not Round.objects.exists()
    when = kazakhstan.localtime(timezone.now() + datetime.timedelta(days=3)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    assert (
        client.post(put, {"procedure": "explicit", "deadline": f"{when:%Y-%m-%dT%H:%M}"}).status_code == 302
    )
    round = Round.objects.get()
    assert round.procedure == "explicit" and round.deadline == when  # 18:00 in Astana
    statement.refresh_from_db()
    assert statement.status == Statement.Status.CLEARANCE


def test_a_member_answers_for_its_seat_and_the_secretariat_records_another(
    client, kazakhstan, kazakhstan_secretariat, seat
):
    member = seat(kazakhstan, "network", "UNICEF")
    seat(kazakhstan, "network", "UNHCR")
    statement = draft(kazakhstan)
    round = services.put_to_clearance(by=None, statement=statement)
    answer = url("statement_answer", statement)
    client.force_login(member)
    page = client.get(url("statement", statement), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'action="' + answer in page and "behalf-channel" not in page
    # An objection needs its reason: shown, nothing recorded.
    response = client.post(
        answer, {"organisation": org("UNICEF").pk, "answer": "objects"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422 and "An objection needs its reason." in response.content.decode()
    assert round.clearances.get(organisation=org("UNICEF")).answer == Answer.PENDING
    # Not for another organisation's seat.
    response = client.post(answer, {"organisation": org("UNHCR").pk, "answer": "cleared"})
    assert response.status_code == 422
    assert round.clearances.get(organisation=org("UNHCR")).answer == Answer.PENDING
    response = client.post(
        answer, {"organisation": org("UNICEF").pk, "answer": "comments", "comment": "Add SDG 8."}
    )
    assert response.status_code == 302
    seat_ = round.clearances.get(organisation=org("UNICEF"))
    assert seat_.answer == Answer.COMMENTS and seat_.channel == "direct" and seat_.answered_by == member
    # A member may not record for a seat on behalf.
    data = {"behalf-organisation": org("UNHCR").pk, "behalf-answer": "cleared", "behalf-channel": "email"}
    assert client.post(answer, data).status_code == 403
    client.force_login(kazakhstan_secretariat)
    assert client.post(answer, data).status_code == 302
    given = round.clearances.get(organisation=org("UNHCR"))
    assert given.answer == Answer.CLEARED and given.channel == "email" and given.on_behalf
    page = client.get(url("statement", statement), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Given by e-mail" in page and "Add SDG 8." in page
    assert "Cleared with comments: <strong>1</strong>" in page and "Cleared: <strong>1</strong>" in page


def test_speak_for_the_undersigned_sign_off_issue_and_deliver(
    client, kazakhstan, kazakhstan_secretariat, seat
):
    rc = seat(kazakhstan, "co-chairs", "UN RCO", role="co_chair")
    iom = seat(kazakhstan, "co-chairs", "IOM", role="co_chair")
    statement = draft(kazakhstan)
    round = services.put_to_clearance(by=None, statement=statement)
    services.answer_clearance(
        by=None, round=round, organisation=org("UNICEF"), answer=Answer.OBJECTS, comment="No."
    )
    services.close_due_rounds(now=round.deadline)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.NO_CONSENSUS
    client.force_login(rc)
    assert (
        client.post(url("statement_sign_off", statement), {"organisation": org("UN RCO").pk}).status_code
        == 302
    )
    assert not statement.sign_offs.exists()  # not cleared: refused, with a message
    client.force_login(kazakhstan_secretariat)
    assert client.post(url("statement_undersigned", statement)).status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.CLEARED and statement.voice == "undersigned"
    client.force_login(rc)
    page = client.get(url("statement", statement), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign off for UN RCO" in page and "Sign off for IOM" not in page
    # Not for the other co-chair's organisation.
    assert (
        client.post(url("statement_sign_off", statement), {"organisation": org("IOM").pk}).status_code == 403
    )
    assert (
        client.post(url("statement_sign_off", statement), {"organisation": org("UN RCO").pk}).status_code
        == 302
    )
    client.force_login(iom)
    assert (
        client.post(url("statement_sign_off", statement), {"organisation": org("IOM").pk}).status_code == 302
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ISSUED and not statement.signed_by_network
    page = client.get(url("statement", statement), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert services.signatory_line(statement, "en") in page and org(
        "UNICEF"
    ).name not in services.signatory_line(statement, "en")
    # Delivery: bad date shown, nothing saved; then recorded.
    delivery = url("statement_delivery", statement)
    data = {
        "delivered_on": (kazakhstan.today() + datetime.timedelta(days=2)).isoformat(),
        "organisation": org("IOM").pk,
        "occasion": "Briefing",
        "recipients": "Ministry of Labour",
    }
    response = client.post(delivery, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and "once it has taken place" in response.content.decode()
    assert not statement.deliveries.exists()
    data["delivered_on"] = kazakhstan.today().isoformat()
    assert client.post(delivery, data).status_code == 302
    assert statement.deliveries.get().recipients == "Ministry of Labour"
    member = seat(kazakhstan, "network", "UNHCR")
    client.force_login(member)
    assert client.post(delivery, data).status_code == 403
    assert client.get(url("statement_revise", statement)).status_code == 403  # issued: locked


def test_withdraw_needs_a_reason_and_the_right(client, kazakhstan, kazakhstan_secretariat, seat):
    statement = draft(kazakhstan)
    withdraw = url("statement_withdraw", statement)
    client.force_login(seat(kazakhstan, "network", "UNICEF"))
    assert client.post(withdraw, {"reason": "Overtaken by events"}).status_code == 403
    client.force_login(kazakhstan_secretariat)
    response = client.post(withdraw, {"reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    assert client.post(withdraw, {"reason": "Overtaken by events"}).status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.WITHDRAWN


def test_members_comment_on_a_paragraph(client, kazakhstan, kenya, seat):
    member = seat(kazakhstan, "network", "UNICEF")
    statement = draft(kazakhstan)
    comment = url("statement_comment", statement)
    client.force_login(member)
    data = {"version": 1, "language": "en", "paragraph": 1, "text": "Name the convention."}
    response = client.post(comment, data)
    assert response.status_code == 302 and response["Location"].endswith("?v=1&lang=en#p2")
    made = Comment.objects.get()
    assert made.paragraph == 1 and made.organisation == org("UNICEF") and made.author == member
    page = client.get(url("statement", statement) + "?lang=en").content.decode()
    assert "Name the convention." in page
    # No such paragraph: shown, nothing saved; an empty comment too.
    response = client.post(comment, {**data, "paragraph": 7}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and "No such paragraph in this version." in response.content.decode()
    assert client.post(comment, {**data, "text": ""}).status_code == 422
    assert client.post(comment, {**data, "version": 5}).status_code == 404
    assert Comment.objects.count() == 1
    client.force_login(seat(kenya, "network", "FAO"))
    assert client.post(comment, data).status_code == 404
    assert Comment.objects.count() == 1


def test_what_changed_between_two_versions(client, kazakhstan, kenya, seat):
    member = seat(kazakhstan, "network", "UNICEF")
    statement = draft(kazakhstan)
    services.revise_statement(
        by=None,
        statement=statement,
        texts={
            "ru": {"title": "Совместное заявление", "text": "Первый абзац.\n\nВторой новый абзац."},
            "en": {"title": "Joint statement", "text": "First paragraph.\n\nSecond new paragraph.\n\nThird."},
        },
        authoritative_language="ru",
        note="More",
    )
    client.force_login(member)
    detail = client.get(url("statement", statement), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    compare = url("statement_compare", statement)
    assert f"{compare}?a=1&amp;b=2&amp;lang=en" in detail
    page = client.get(compare + "?a=1&b=2&lang=en").content.decode()
    assert "Second <ins>new </ins>paragraph." in page and "<ins>Third.</ins>" in page
    page = client.get(compare + "?a=1&b=2&lang=ru").content.decode()
    assert "Второй <ins>новый </ins>абзац." in page
    # B against A: the other way round.
    assert "<del>Third.</del>" in client.get(compare + "?a=2&b=1&lang=en").content.decode()
    assert client.get(compare + "?a=1&b=7").status_code == 404
    assert client.get(compare + "?a=x").status_code == 404
    client.force_login(seat(kenya, "network", "FAO"))
    assert client.get(compare + "?a=1&b=2").status_code == 404


def test_kenya_tables_a_standing_objection_to_the_unct_from_the_page_and_the_api(
    client, kenya, kenya_secretariat
):
    statement = services.draft_statement(
        by=kenya_secretariat,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title="On detention",
        texts={"en": {"text": "Text."}},
        authoritative_language="en",
        concerns_state=False,
    )
    round = services.put_to_clearance(by=None, statement=statement)
    services.answer_clearance(
        by=None,
        round=round,
        organisation=Organisation.objects.get(acronym="UNHCR"),
        answer="objects",
        comment="No.",
    )
    services.close_round(by=None, round=round, now=round.deadline)
    client.force_login(kenya_secretariat)
    page = client.get(reverse("statements:statement", args=["kenya", statement.pk])).content.decode()
    assert "Table it to the UNCT" in page
    client.post(reverse("statements:statement_table", args=["kenya", statement.pk]))
    statement.refresh_from_db()
    assert statement.tabled.status == "escalated"
    follow = f"/api/v1/networks/kenya/statements/{statement.pk}/follow-unct/"
    refused = client.post(follow)
    assert refused.status_code == 400 and "has not adopted" in str(refused.json())
    decisions.record_unct_decision(
        by=None,
        escalation=statement.tabled.escalations.get(),
        adopted=True,
        decided_on=kenya.today(),
        unct_decision="Yes",
    )
    answer = client.post(follow)
    assert (
        answer.status_code == 200
        and answer.json()["status"] == "cleared"
        and answer.json()["tabled"] == statement.tabled_id
    )
