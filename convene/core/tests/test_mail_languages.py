"""Every e-mail in its reader's language: their own choice, else the network's default; a subject
that names the network, a plain-text and an HTML part, a footer saying why, replies to the
Secretariat."""

import base64
import datetime
import email
import email.policy

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from convene.accounts.models import User
from convene.core import mail
from convene.core.dates import show_date
from convene.core.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DAY = datetime.date(2026, 12, 4)
REASON = gettext_lazy("You receive this because of your role in %(network)s.")


def dated():
    """A text whose words depend on the active language."""
    return mail.Content("Meeting", f"The meeting is on {show_date(DAY)}. https://example.org/agenda")


def person(address, language=""):
    return User.objects.create_user(email=address, full_name=address.split("@")[0], language=language)


def test_each_reader_gets_their_language_else_the_networks(kazakhstan):
    person("french@un.test", "fr")
    person("english@un.test", "en")
    person("unchosen@un.test")
    with transaction.atomic():
        mail.queue_email(
            to=["French@UN.test", "english@un.test", "unchosen@un.test", "nobody@un.test"],
            compose=dated,
            topic="test",
            network=kazakhstan,
        )
    sent = {m.to[0]: m for m in OutboundEmail.objects.all()}
    assert {a: m.language for a, m in sent.items()} == {
        "french@un.test": "fr",  # an address matches its account whatever its case
        "english@un.test": "en",
        "unchosen@un.test": "ru",  # Kazakhstan's default language
        "nobody@un.test": "ru",
    }
    assert "4 décembre 2026" in sent["french@un.test"].body
    assert "4 Dec 2026" in sent["english@un.test"].body
    assert "4 декабря 2026 г." in sent["unchosen@un.test"].body
    # The subject names the network in the reader's language.
    assert sent["english@un.test"].subject == "[UNNM Kazakhstan] Meeting"
    assert sent["unchosen@un.test"].subject == f"[{kazakhstan.localised('short_name', 'ru')}] Meeting"
    # Where to choose the language: only for a person with an account.
    assert "/me/" in sent["unchosen@un.test"].body and "/me/" not in sent["nobody@un.test"].body


def test_without_a_network_the_site_language_is_used(db, settings):
    person("unchosen@un.test")
    with transaction.atomic():
        mail.queue_email(to=["unchosen@un.test"], compose=dated, topic="test")
    message = OutboundEmail.objects.get()
    assert message.language == settings.LANGUAGE_CODE == "en"
    assert message.subject == "Meeting"  # no network to name


def test_the_languages_of_all_recipients_take_one_query(kenya, django_assert_num_queries):
    for n in range(5):
        person(f"p{n}@un.test", ["fr", "sw", ""][n % 3])
    addresses = [f"p{n}@un.test" for n in range(5)] + [f"other{n}@un.test" for n in range(20)]
    with django_assert_num_queries(1):
        message = mail.Message(
            topic="test", compose=dated, recipients=[mail.Recipient(a) for a in addresses], network=kenya
        )
    assert [(code, n) for code, _name, n in message.languages] == [("en", 21), ("fr", 2), ("sw", 2)]


def test_the_html_part_is_escaped_with_clickable_links_and_arabic_reads_right_to_left(
    smtp_server, run_worker, kenya
):
    kenya.email = "secretariat@un-kenya.test"
    kenya.save()
    person("arabic@un.test", "ar")
    with transaction.atomic():
        mail.queue_email(
            to=["arabic@un.test"],
            compose=lambda: mail.Content("<Q1>", f"<script>alert(1)</script> {dated().text}"),
            topic="test",
            network=kenya,
            reason=mail.Phrase(REASON, network=kenya),
        )
    run_worker()
    [envelope] = smtp_server.received
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"  # nothing attached
    assert [p.get_content_type() for p in message.get_payload()] == ["text/plain", "text/html"]
    assert message["Subject"].strip() == "[UNNM Kenya] <Q1>"
    assert message["Reply-To"] == "secretariat@un-kenya.test"
    html = message.get_body(("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert '<a href="https://example.org/agenda"' in html
    assert "<img" not in html and "src=" not in html
    assert "4 ديسمبر 2026" in html  # the date in Arabic
    text = message.get_body(("plain",)).get_content()
    assert "\n-- \n" in text.replace("\r\n", "\n")  # the footer, after a signature separator
    with translation.override("ar"):
        assert str(mail.Phrase(REASON, network=kenya)) in text


def test_a_message_queued_before_the_html_part_existed_still_goes_out(smtp_server, run_worker, db):
    with transaction.atomic():
        OutboundEmail.objects.create(topic="test", to=["a@un.test"], subject="Old", body="Queued last year")
        message = OutboundEmail.objects.get()
        transaction.on_commit(lambda: mail.deliver_email.enqueue(message.pk))
    run_worker()
    [envelope] = smtp_server.received
    received = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert received.get_content_type() == "text/plain" and "Queued last year" in received.get_content()


def test_attached_files_are_built_in_each_readers_language_once_per_language(kenya):
    person("french@un.test", "fr")
    person("arabic@un.test", "ar")
    built = []

    def attach():
        built.append(translation.get_language())
        return [("day.txt", show_date(DAY).encode(), "text/plain")]

    message = mail.Message(
        topic="test",
        compose=dated,
        recipients=[
            mail.Recipient(a) for a in ("french@un.test", "arabic@un.test", "a@un.test", "b@un.test")
        ],
        network=kenya,
        attachment_names=["day.txt"],
        attach=attach,
    )
    assert message.fingerprint and built == []  # the preview builds no file
    with transaction.atomic():
        mail.queue_message(message)
    assert sorted(built) == ["ar", "en", "fr"]
    files = {
        m.to[0]: base64.b64decode(m.attachments[0]["content"]).decode() for m in OutboundEmail.objects.all()
    }
    with translation.override("ar"):
        arabic = show_date(DAY)
    assert files == {
        "french@un.test": "4 décembre 2026",
        "arabic@un.test": arabic,
        "a@un.test": "4 Dec 2026",
        "b@un.test": "4 Dec 2026",
    }
