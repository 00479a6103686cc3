"""Personal API tokens: created and revoked by their owner from their page, usable as Bearer tokens."""

import re

from convene.accounts.models import ApiToken


def create_token(client, name="laptop"):
    page = client.post("/me/", {"name": name}).content.decode()
    return re.search(r'<code id="new-token">(cvn_[^<]+)</code>', page).group(1)


def test_token_is_shown_once_and_only_its_hash_is_stored(client, kenya_member):
    client.force_login(kenya_member)
    key = create_token(client)
    token = ApiToken.objects.get(user=kenya_member)
    assert key not in (token.key_hash, token.prefix) and key[4:12] == token.prefix
    assert key not in client.get("/me/").content.decode()


def test_token_authenticates_the_api_until_revoked(client, kenya_member):
    client.force_login(kenya_member)
    key = create_token(client)
    client.logout()
    auth = {"Authorization": f"Bearer {key}"}
    response = client.get("/api/v1/networks/", headers=auth)
    assert response.status_code == 200 and response.json()["results"][0]["slug"] == "kenya"
    assert ApiToken.objects.get().last_used_at is not None
    client.force_login(kenya_member)
    client.post(f"/me/tokens/{ApiToken.objects.get().pk}/revoke/")
    client.logout()
    denied = client.get("/api/v1/networks/", headers=auth)
    assert denied.status_code == 401 and denied.json()["detail"] == "Unknown or revoked token."


def test_a_token_name_is_required(client, kenya_member):
    client.force_login(kenya_member)
    response = client.post("/me/", {"name": "  "})
    assert (
        "This field is required." in response.content.decode()
        or "Name the token" in response.content.decode()
    )
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(client, kenya_member, kenya_secretariat):
    client.force_login(kenya_member)
    create_token(client)
    client.force_login(kenya_secretariat)
    assert client.post(f"/me/tokens/{ApiToken.objects.get().pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_malformed_authorization_header_is_a_401(client, db):
    assert client.get("/api/v1/networks/", headers={"Authorization": "Bearer"}).status_code == 401
    assert client.get("/api/v1/networks/", headers={"Authorization": "Bearer a b"}).status_code == 401
    assert client.get("/api/v1/networks/", headers={"Authorization": "Bearer cvn_nope"}).status_code == 401
