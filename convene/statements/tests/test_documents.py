"""A statement's version as PDF and Word in each of its languages, on the network's letterhead:
the network, the title, the occasion, the text, the signatory line and the date it was issued."""

import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from convene.networks.models import Organisation
from convene.statements import services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def issued(network, seat):
    rc = seat(network, "co-chairs", "UN RCO", role="co_chair")
    iom = seat(network, "co-chairs", "IOM", role="co_chair")
    statement = services.draft_statement(
        by=None,
        network=network,
        body=network.bodies.get(kind="plenary"),
        title="Joint statement on labour migration",
        occasion="Briefing to the Ministry of Labour",
        texts={
            "ru": {
                "title": "Совместное заявление о трудовой миграции",
                "text": "Первый абзац.\n\nВторой абзац.",
            },
            "en": {
                "title": "Joint statement on labour migration",
                "text": "First paragraph.\n\nSecond paragraph.",
            },
        },
        authoritative_language="ru",
        concerns_state=False,
    )
    round = services.put_to_clearance(by=None, statement=statement)
    services.close_due_rounds(now=round.deadline)
    statement.refresh_from_db()
    for user, acronym in ((rc, "UN RCO"), (iom, "IOM")):
        services.sign_off(
            by=user, statement=statement, organisation=Organisation.objects.get(acronym=acronym, country="")
        )
    statement.refresh_from_db()
    return statement, rc


def document(statement, number, language, fmt):
    url = reverse(f"statements:statement_{fmt}", args=[statement.network.slug, statement.pk, number])
    return f"{url}?lang={language}"


def test_the_issued_statement_as_pdf_and_word_in_each_language(client, kazakhstan, seat):
    statement, rc = issued(kazakhstan, seat)
    client.force_login(rc)
    page = client.get(
        reverse("statements:statement", args=["kazakhstan", statement.pk]) + "?lang=en"
    ).content.decode()
    assert document(statement, 1, "en", "pdf") in page
    assert document(statement, 1, "en", "docx") in page
    issued_on = kazakhstan.today(statement.issued_at)
    response = client.get(document(statement, 1, "ru", "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="kazakhstan-statement-{issued_on.isoformat()}.pdf"' in response["Content-Disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Совместное заявление о трудовой миграции" in text and "Второй абзац." in text
    assert services.signatory_line(statement, "ru") in text
    assert kazakhstan.localised("name", "ru").upper() in text.upper()
    response = client.get(document(statement, 1, "en", "docx"))
    assert (
        f'filename="kazakhstan-statement-en-{issued_on.isoformat()}.docx"' in response["Content-Disposition"]
    )
    doc = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "Joint statement on labour migration" in paragraphs and "Second paragraph." in paragraphs
    assert services.signatory_line(statement, "en") in paragraphs
    assert "Briefing to the Ministry of Labour" in paragraphs
    assert any(p.startswith("Issued on ") for p in paragraphs)
    assert doc.core_properties.title == "Joint statement on labour migration"


def test_a_draft_has_no_signatory_line_and_its_version_in_the_name(client, kazakhstan, seat):
    member = seat(kazakhstan, "network", "UNICEF")
    statement = services.draft_statement(
        by=None,
        network=kazakhstan,
        body=kazakhstan.bodies.get(kind="plenary"),
        title="Draft",
        texts={"ru": {"title": "", "text": "Текст проекта."}},
        authoritative_language="ru",
        concerns_state=False,
    )
    client.force_login(member)
    response = client.get(document(statement, 1, "ru", "docx"))
    assert "-statement-v1-" in response["Content-Disposition"]
    paragraphs = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert "Текст проекта." in paragraphs and not any("Issued" in p for p in paragraphs)
    assert client.get(document(statement, 1, "en", "pdf")).status_code == 404  # no English text
    assert client.get(document(statement, 2, "ru", "pdf")).status_code == 404


def test_nobody_outside_the_network_downloads_it(client, kazakhstan, kenya, seat):
    statement, _rc = issued(kazakhstan, seat)
    url = document(statement, 1, "ru", "pdf")
    assert client.get(url).status_code == 302
    client.force_login(seat(kenya, "network", "FAO"))
    assert client.get(url).status_code == 404
