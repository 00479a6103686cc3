"""The workplans API end to end: the same rules and permissions as the pages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from convene.decisions import services as decisions
from convene.workplans import spreadsheet
from convene.workplans.models import Workplan

from .test_spreadsheet import xlsx

API = "/api/v1/networks/kenya"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_build_submit_and_adopt_a_workplan(client, kenya_secretariat, seat, kenya, kenya_member):
    client.force_login(kenya_secretariat)
    workplan = post(client, f"{API}/workplans/", {"year": 2027}).json()
    activity = {
        "workplan": workplan["id"],
        "code": "1",
        "title": "Data",
        "lead_organisation": "IOM",
        "participants": ["ILO"],
        "start_quarter": 1,
        "end_quarter": 2,
        "budget": "1000",
        "funded": "400",
        "gcm_objectives": [1, 23],
        "sdg_targets": ["17.18"],
    }
    created = post(client, f"{API}/activities/", activity)
    assert created.status_code == 201, created.json()
    assert created.json()["gap"] == "600.00" and created.json()["gcm_objectives"] == [1, 23]
    bad = post(client, f"{API}/activities/", activity | {"code": "2", "gcm_objectives": [24]})
    assert bad.status_code == 400 and "24" in str(bad.json())
    bad = post(client, f"{API}/activities/", activity | {"code": "2", "funded": "5000"})
    assert bad.status_code == 400 and "exceed the budget" in str(bad.json())
    assert post(client, f"{API}/workplans/{workplan['id']}/consult/").status_code == 200
    submitted = post(client, f"{API}/workplans/{workplan['id']}/submit/").json()
    decisions.close_proposal(by=None, proposal=Workplan.objects.get().proposal)
    adopted = client.get(f"{API}/workplans/{workplan['id']}/").json()
    assert submitted["proposal"] and adopted["status"] == "adopted" and adopted["decision"].startswith("KEN/")

    iom = seat(kenya, "network", "IOM")
    client.force_login(iom)
    progress = post(
        client,
        f"{API}/activities/{created.json()['id']}/progress/",
        {"year": 2027, "quarter": 1, "narrative": "Started", "percent": 20, "rag": "green"},
    )
    assert progress.status_code == 200
    client.force_login(kenya_member)
    assert (
        post(client, f"{API}/activities/{created.json()['id']}/progress/", {"year": 2027}).status_code == 403
    )
    assert post(client, f"{API}/workplans/", {"year": 2028}).status_code == 403
    detail = client.get(f"{API}/activities/{created.json()['id']}/").json()
    assert detail["progress"][0]["narrative"] == "Started"


def test_import_through_the_api_is_all_or_nothing(client, kenya_secretariat, workplan):
    client.force_login(kenya_secretariat)
    url = f"{API}/workplans/{workplan.pk}/import/"
    bad = xlsx([spreadsheet.HEADERS, ["1", "T", "", "NOPE", "", "", "Q1", "Q2"]])
    response = client.post(url, {"file": SimpleUploadedFile("w.xlsx", bad)})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 2, "column": "Lead organisation", "message": "unknown organisation “NOPE”"}
    ]
    good = xlsx([spreadsheet.HEADERS, ["1", "T", "", "ILO", "", "", "Q1", "Q2"]])
    assert client.post(url, {"file": SimpleUploadedFile("w.xlsx", good)}).json() == {
        "created": 1,
        "updated": 0,
    }


def test_outsiders_see_no_workplan(client, kazakhstan_secretariat, workplan):
    client.force_login(kazakhstan_secretariat)
    assert client.get(f"{API}/workplans/{workplan.pk}/").status_code == 404
    assert client.get(f"{API}/activities/").status_code == 404
