"""Superusers have the admin for every model, and admin edits land in the audit log."""

from django.apps import apps
from django.contrib import admin

from convene.core.models import ChangeLog
from convene.networks.models import Organisation


def test_every_model_of_ours_is_in_the_admin():
    ours = [m for m in apps.get_models() if m.__module__.startswith("convene.")]
    assert ours and all(admin.site.is_registered(m) for m in ours), [
        m.__name__ for m in ours if not admin.site.is_registered(m)
    ]


def test_admin_pages_open_for_a_superuser(admin_client, kenya):
    for model in ("organisation", "network", "body", "membership", "representative", "rule"):
        assert admin_client.get(f"/admin/networks/{model}/").status_code == 200
    assert admin_client.get("/admin/core/changelog/").status_code == 200


def test_admin_change_is_audited(admin_client, db):
    org = Organisation.objects.get(acronym="WFP")
    response = admin_client.post(
        f"/admin/networks/organisation/{org.pk}/change/",
        {
            "acronym": "WFP",
            "name": "World Food Programme (changed)",
            "kind": "un",
            "un_category": org.un_category,
            "country": "",
            "aliases": "[]",
            "website": "",
        },
    )
    assert response.status_code == 302
    entry = ChangeLog.objects.latest("id")
    assert (entry.source, entry.action) == ("admin", "update")
    assert entry.changes == {"name": ["World Food Programme", "World Food Programme (changed)"]}
