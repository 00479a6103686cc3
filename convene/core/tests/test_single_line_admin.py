"""The admin refuses single-line text with a line break on the field, like every other way in."""

from convene.networks.models import Organisation


def test_an_admin_edit_with_a_line_break_in_a_name_is_refused_on_the_field(admin_client, db):
    org = Organisation.objects.get(acronym="WFP")
    response = admin_client.post(
        f"/admin/networks/organisation/{org.pk}/change/",
        {
            "acronym": "WFP",
            "name": "World Food\r\nProgramme",
            "kind": "un",
            "un_category": org.un_category,
            "country": "",
            "aliases": "[]",
            "website": "",
        },
    )
    assert response.status_code == 200  # the form again, with the error on the field
    assert "Keep this on one line" in response.content.decode()
    org.refresh_from_db()
    assert org.name == "World Food Programme"
