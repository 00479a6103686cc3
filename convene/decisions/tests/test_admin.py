"""The admin shows decisions but changes them only through the services."""


def test_decision_pages_open_and_decisions_cannot_be_changed_there(admin_client, kenya):
    for model in (
        "proposal",
        "decision",
        "position",
        "consultation",
        "escalation",
        "actionitem",
        "actionupdate",
    ):
        assert admin_client.get(f"/admin/decisions/{model}/").status_code == 200
    assert admin_client.get("/admin/decisions/decision/add/").status_code == 403
