"""The reports API: create, narrate, issue, read an issued version."""

API = "/api/v1/networks/kenya/reports"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_create_narrate_issue_and_read_the_version(client, kenya, kenya_secretariat, kenya_member):
    client.force_login(kenya_secretariat)
    report = post(
        client, f"{API}/", {"audience": "government", "period": "half", "year": 2026, "number": 2}
    ).json()
    assert (report["start"], report["end"]) == ("2026-07-01", "2026-12-31")
    url = f"{API}/{report['id']}"
    refused = post(client, f"{url}/issue/")
    assert refused.status_code == 400 and "recipients" in str(refused.json())
    bad = client.patch(f"{url}/", {"recipients": ["nope"]}, content_type="application/json")
    assert bad.status_code == 400
    client.patch(
        f"{url}/",
        {"recipients": ["gov@example.test"], "narrative": {"summary": "Half a year of work."}},
        content_type="application/json",
    )
    issued = post(client, f"{url}/issue/")
    assert issued.status_code == 201 and issued.json()["version"] == 1
    client.force_login(kenya_member)
    version = client.get(f"{url}/versions/1/").json()
    assert version["data"]["sections"][0]["paragraphs"] == ["Half a year of work."]
    assert post(client, f"{url}/issue/").status_code == 403
    assert client.get(f"{url}/versions/9/").status_code == 404
