"""In a real browser: an objection without a reason shows its error in place (htmx swaps the 422),
keeps what the member chose, puts focus on the reason and says so in the live region; a valid
submission then clears the error and announces the result."""

import re

import pytest

from convene.core.testing import sign_in
from convene.decisions.models import Position

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_objection_without_reason_is_shown_in_place_and_then_recorded(live_server, page, seat, propose):
    from playwright.sync_api import expect

    unhcr = seat(propose().network, "executive-committee", "UNHCR")
    sign_in(page, unhcr)
    page.get_by_role("link", name="Joint advocacy note on labour migration").first.click()
    page.get_by_label("Objects").check()
    page.get_by_role("button", name="Record the position").click()

    reason = page.get_by_label(re.compile(r"^Reason:?$"))
    form = page.locator("#position")
    expect(form).to_contain_text("Give the reason for standing aside or objecting.")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Objects")).to_be_checked()  # what the member chose is kept
    expect(page.locator("#live")).to_contain_text("Give the reason for standing aside or objecting.")
    assert not Position.objects.exists()

    page.evaluate(  # a banner of the page as it was: stale once the form has been saved in place
        "document.querySelector('main')"
        ".insertAdjacentHTML('afterbegin', '<ul class=messages><li>Old news</li></ul>')"
    )
    reason.fill("Protection safeguards for refugees are missing.")
    page.get_by_role("button", name="Record the position").click()
    expect(page.locator("#positions tr", has_text="UNHCR")).to_contain_text("Protection safeguards")
    expect(page.locator("#position")).not_to_contain_text("Give the reason")
    expect(page.locator("#live")).to_have_text("Position of UNHCR recorded.")
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Old news")
    assert Position.objects.get().stance == "object"
