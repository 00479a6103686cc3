"""Sign-in by e-mail and password, with TOTP two-factor authentication when the person turned it on."""

import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from convene.accounts.models import User


def test_sign_in_with_email_and_password_lands_on_the_network(client, kenya_member):
    response = client.post(
        "/accounts/login/", {"login": kenya_member.email.upper(), "password": "pw-for-tests-only"}
    )
    assert response.status_code == 302
    assert client.get("/").url == "/n/kenya/"


def test_wrong_password_is_refused_with_a_message(client, kenya_member):
    response = client.post("/accounts/login/", {"login": kenya_member.email, "password": "wrong"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_nobody_can_sign_themselves_up(client, db):
    response = client.post(
        "/accounts/signup/",
        {"email": "me@x.org", "password1": "Secret-pass-123", "password2": "Secret-pass-123"},
    )
    assert not User.objects.filter(email="me@x.org").exists()
    assert response.status_code in (200, 403)


def test_totp_is_asked_after_the_password_when_turned_on(client, kenya_member):
    secret = generate_totp_secret()
    TOTP.activate(kenya_member, secret)
    response = client.post("/accounts/login/", {"login": kenya_member.email, "password": "pw-for-tests-only"})
    assert response.url == "/accounts/2fa/authenticate/"
    assert client.get("/n/kenya/").status_code == 302  # not signed in yet
    bad = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "Incorrect code" in bad.content.decode()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert client.get("/n/kenya/").status_code == 200


def test_sign_in_page_is_small_and_has_no_third_party_assets(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert len(html) < 10_000
