"""A representative the Secretariat designates with a new account is welcomed by e-mail with a link
to choose a password; the link works once, and then they sign in."""

import email
import email.policy
import re

import pytest
from django.urls import reverse

from convene.accounts import services
from convene.accounts.models import User
from convene.core.models import OutboundEmail
from convene.networks.models import Body, Membership

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW = "amina.odhiambo@unicef.test"


def designate(client, network, secretariat, email_address, full_name="Amina Odhiambo"):
    membership = Membership.objects.get(
        body__network=network, body__kind=Body.Kind.EXECUTIVE, organisation__acronym="UNICEF"
    )
    client.force_login(secretariat)
    response = client.post(
        reverse("networks:representative_add", args=[network.slug, membership.pk]),
        {"email": email_address, "full_name": full_name, "kind": "principal"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return membership


def test_new_representative_is_welcomed_sets_a_password_once_and_signs_in(
    client, smtp_server, run_worker, kenya, kenya_secretariat, settings
):
    designate(client, kenya, kenya_secretariat, NEW)

    [queued] = OutboundEmail.objects.filter(topic="welcome")
    assert queued.to == [NEW] and queued.network_id == kenya.pk
    run_worker()
    [envelope] = [e for e in smtp_server.received if e.rcpt_tos == [NEW]]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    assert kenya.name in message["Subject"]
    assert "Dear Amina Odhiambo" in text
    assert f"represent UNICEF in {kenya.bodies.get(kind=Body.Kind.EXECUTIVE).name}" in text
    assert "You receive this because the Secretariat of UNNM Kenya designated you" in text  # the footer
    [link] = re.findall(r"http://\S+/accounts/password/reset/key/\S+/", text)
    path = link.removeprefix(settings.CONVENE_BASE_URL)

    # Following the link: allauth keeps the key in the session and shows the password form.
    page = client.get(path, follow=True)
    assert page.status_code == 200 and 'name="password1"' in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path,
        {"password1": "A-good-new-passphrase-1", "password2": "A-good-new-passphrase-1"},
    )
    assert done.status_code == 302
    person = User.objects.get(email=NEW)
    assert person.check_password("A-good-new-passphrase-1")

    # The link worked once.
    again = client.get(path, follow=True)
    assert 'name="password1"' not in again.content.decode()

    signed_in = client.post("/accounts/login/", {"login": NEW, "password": "A-good-new-passphrase-1"})
    assert signed_in.status_code == 302
    assert client.get(reverse("networks:home", args=["kenya"])).status_code == 200


def test_someone_who_already_has_a_password_is_not_welcomed_again(client, kenya, kenya_secretariat):
    User.objects.create_user(email=NEW, password="their-own-password", full_name="Amina Odhiambo")
    designate(client, kenya, kenya_secretariat, NEW)
    assert not OutboundEmail.objects.filter(topic="welcome").exists()


def test_the_link_expires(client, kenya, kenya_secretariat, settings):
    designate(client, kenya, kenya_secretariat, NEW)
    person = User.objects.get(email=NEW)
    link = services.set_password_url(person)
    settings.PASSWORD_RESET_TIMEOUT = -1  # every token is already too old
    page = client.get(link.removeprefix(settings.CONVENE_BASE_URL), follow=True)
    assert 'name="password1"' not in page.content.decode()
