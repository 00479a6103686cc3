"""A position refused for a missing reason: the errors show on the form, in place, with what the user
gave; nothing is recorded and no stale message waits for the next page."""

import json

from django.urls import reverse

from convene.decisions.models import Position
from convene.networks.models import Organisation


def url(name, *args):
    return reverse(f"decisions:{name}", args=["kenya", *args])


def test_an_objection_without_reason_answers_the_form_with_its_error_in_place(client, propose, ec):
    proposal = propose()
    client.force_login(ec["UNICEF"])
    unicef = Organisation.objects.get(acronym="UNICEF", country="")
    response = client.post(
        url("position", proposal.pk),
        {"organisation": unicef.pk, "stance": "object", "reason": "  "},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422  # swapped: base.html's htmx-config swaps 422
    fragment = response.content.decode()
    assert 'id="positions"' in fragment and "<html" not in fragment
    assert "Give the reason for standing aside or objecting." in fragment
    assert 'aria-invalid="true"' in fragment
    assert 'value="object" required id="id_stance_2" checked' in fragment  # the choice is kept
    assert not Position.objects.exists()
    # The error is on the form: no banner waits in the session for the next page.
    page = client.get(url("proposal", proposal.pk)).content.decode()
    assert "Give the reason" not in page


def test_without_javascript_the_refused_position_shows_the_page_with_the_form_kept(client, propose, ec):
    proposal = propose()
    client.force_login(ec["UNICEF"])
    unicef = Organisation.objects.get(acronym="UNICEF", country="")
    response = client.post(url("position", proposal.pk), {"organisation": unicef.pk, "stance": "stand_aside"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "<html" in page and "Give the reason for standing aside or objecting." in page
    assert 'value="stand_aside" required id="id_stance_1" checked' in page
    assert not Position.objects.exists()


def test_the_success_message_of_an_htmx_swap_is_announced_not_kept_for_later(client, propose, ec):
    proposal = propose()
    client.force_login(ec["UNICEF"])
    unicef = Organisation.objects.get(acronym="UNICEF", country="")
    response = client.post(
        url("position", proposal.pk),
        {"organisation": unicef.pk, "stance": "agree", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {
        "convene:announce": [{"text": "Position of UNICEF recorded.", "level": "success"}]
    }
    assert "Position of UNICEF recorded." not in client.get(url("proposal", proposal.pk)).content.decode()
