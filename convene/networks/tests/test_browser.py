"""The Secretariat's main path in a real browser: sign in, designate a representative in place (htmx),
download the members list.

Drives Debian's Chromium through Playwright against pytest-django's live server.
"""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from convene.core.testing import sign_in
from convene.networks.models import Representative

# live_server needs a transactional database; the UN entities the charters name come from a data
# migration, which the flush between transactional tests would otherwise wipe.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_executive_committee(page):
    page.get_by_role("link", name="Executive Committee", exact=True).click()
    page.wait_for_url(re.compile(r"/n/kenya/bodies/executive-committee/$"))


def seat_row(page, acronym):
    return page.locator("tbody tr").filter(has=page.locator("td strong", has_text=re.compile(f"^{acronym}$")))


def open_designate_form(row):
    """The row's "Designate a representative" link loads the form in its place (htmx GET)."""
    row.get_by_role("link", name="Designate a representative").click()
    form = row.locator("form[id^=rep-form-]")
    form.wait_for()
    return form


def mark_page(page):
    """A marker that survives htmx swaps but not a page load."""
    page.evaluate("window.__same_page = true")


def still_same_page(page) -> bool:
    return page.evaluate("window.__same_page === true")


def test_secretariat_designates_a_representative_in_place_and_downloads_the_list(page, kenya_secretariat):
    sign_in(page, kenya_secretariat)
    open_executive_committee(page)
    row = seat_row(page, "UNHCR")
    row_id = row.get_attribute("id")
    assert row.get_by_text("No representative designated.").is_visible()
    mark_page(page)

    form = open_designate_form(row)
    assert still_same_page(page)
    form.locator("input[name=email]").fill("Amina.Otieno@UNHCR.example.org")
    form.locator("input[name=full_name]").fill("Amina Otieno")
    with page.expect_response(re.compile(r"/representatives/new/$")) as response_info:
        form.get_by_role("button", name="Designate").click()
    response = response_info.value
    assert response.status == 200
    assert response.request.headers.get("hx-request") == "true"

    swapped = page.locator(f"#{row_id}")
    swapped.get_by_text("Amina Otieno").wait_for()
    assert "amina.otieno@unhcr.example.org" in swapped.inner_text()
    assert not swapped.get_by_text("No representative designated.").count()
    assert still_same_page(page)
    assert page.url.endswith("/n/kenya/bodies/executive-committee/")
    rep = Representative.objects.select_related("person", "membership__body", "membership__organisation").get(
        person__email="amina.otieno@unhcr.example.org"
    )
    assert (rep.membership.body.slug, rep.membership.organisation.acronym) == ("executive-committee", "UNHCR")
    assert rep.person.full_name == "Amina Otieno"
    assert rep.kind == Representative.Kind.PRINCIPAL

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    page.wait_for_url(re.compile(r"/n/kenya/members/$"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Excel").click()
    download = download_info.value
    assert re.fullmatch(r"kenya-members-\d{4}-\d\d-\d\d\.xlsx", download.suggested_filename)
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    try:
        rows = list(workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()
    header = list(rows[0])
    email_col, org_col, body_col = header.index("E-mail"), header.index("Organisation"), header.index("Body")
    mine = [r for r in rows[1:] if r[email_col] == "amina.otieno@unhcr.example.org"]
    assert [(r[body_col], r[org_col]) for r in mine] == [("Executive Committee", "UNHCR")]


def test_invalid_email_shows_the_error_in_place_and_creates_nothing(page, kenya_secretariat):
    users, reps = get_user_model().objects.count(), Representative.objects.count()
    sign_in(page, kenya_secretariat)
    open_executive_committee(page)
    row = seat_row(page, "UNHCR")
    mark_page(page)

    form = open_designate_form(row)
    # Accepted by the browser's own check of type=email, refused by the server (no domain suffix).
    form.locator("input[name=email]").fill("someone@nowhere")
    form.locator("input[name=full_name]").fill("Some One")
    with page.expect_response(re.compile(r"/representatives/new/$")) as response_info:
        form.get_by_role("button", name="Designate").click()
    assert response_info.value.status == 422  # swapped all the same (base.html's htmx-config)

    error = form.get_by_text("Enter a valid email address.")
    error.wait_for()
    assert error.is_visible()  # only the form was swapped, in place, with what was typed
    assert form.locator("input[name=email]").input_value() == "someone@nowhere"
    assert form.locator("input[name=full_name]").input_value() == "Some One"
    # Announced after settling, right after focus moved to the field in error (forms.js).
    page.locator("#live", has_text="Enter a valid email address.").wait_for()
    assert page.evaluate("document.activeElement.name") == "email"
    assert row.get_by_text("No representative designated.").is_visible()
    assert still_same_page(page)
    assert (get_user_model().objects.count(), Representative.objects.count()) == (users, reps)
