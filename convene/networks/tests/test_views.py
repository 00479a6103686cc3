"""Network pages end to end through the test client: what each role sees and can do."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from convene.core import audit
from convene.core.models import ChangeLog
from convene.networks import services
from convene.networks.models import Body, Membership, Organisation, Representative


def org(acronym):
    return Organisation.objects.get(acronym=acronym, country="")


@pytest.fixture
def secretariat_client(client, kenya_secretariat):
    client.force_login(kenya_secretariat)
    return client


def test_network_home_shows_bodies_roles_representatives_and_rule_status(secretariat_client, kenya):
    page = secretariat_client.get(reverse("networks:home", args=["kenya"])).content.decode()
    for text in (
        "Executive Committee",
        "Coordinator and Secretariat",
        "UN Country Team Kenya",
        "UNDESA",
        "The Network meets every quarter",
        "New members are approved by the Executive Committee",
        "Secretariat",
    ):
        assert text in page
    assert "awaiting a decision" not in page
    assert "no meeting scheduled; the quarter ends on" in page  # the meetings rule, from the records


def test_pending_application_shows_under_needs_attention(secretariat_client, kenya):
    services.apply_for_membership(by=None, network=kenya, organisation=org("UN-Habitat"))
    page = secretariat_client.get(reverse("networks:home", args=["kenya"])).content.decode()
    assert (
        "Needs your attention" in page
        and "1 application(s) awaiting a decision of Executive Committee" in page
    )


def test_kazakhstan_home_says_the_members_list_is_due(client, kazakhstan_secretariat):
    client.force_login(kazakhstan_secretariat)
    page = client.get(reverse("networks:home", args=["kazakhstan"])).content.decode()
    assert "The members list has not been shared yet; share it by" in page
    assert "Each member is represented at the meetings of the Network" in page


def test_single_network_user_lands_on_their_network(client, kenya_member):
    client.force_login(kenya_member)
    assert client.get("/").url == reverse("networks:home", args=["kenya"])


def test_user_of_two_networks_chooses(client, kenya, kazakhstan, seat):
    user = seat(kenya, "network", "UNFPA", email="both@unfpa.org")
    seat(kazakhstan, "network", "UNFPA", email="both@unfpa.org")
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Kenya UN Network on Migration" in page and "UN Network on Migration in Kazakhstan" in page


def test_member_sees_but_cannot_manage(client, kenya_member):
    client.force_login(kenya_member)
    page = client.get(reverse("networks:body", args=["kenya", "network"])).content.decode()
    assert "FAO person" in page and "Designate a representative" not in page
    response = client.post(
        reverse("networks:membership_add", args=["kenya", "network"]),
        {"organisation": org("WFP").pk, "role": "member"},
    )
    assert response.status_code == 403


def test_secretariat_adds_an_organisation_to_a_body_and_duplicates_are_explained(secretariat_client, kenya):
    url = reverse("networks:membership_add", args=["kenya", "executive-committee"])
    response = secretariat_client.post(url, {"organisation": org("WFP").pk, "role": "member"})
    assert response.status_code == 302
    assert Membership.objects.filter(body__slug="executive-committee", organisation=org("WFP")).exists()
    again = secretariat_client.post(url, {"organisation": org("WFP").pk, "role": "member"})
    assert again.status_code == 200 and "already holds the role" in again.content.decode()


def test_designating_a_representative_by_form(secretariat_client, kenya):
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("UNFPA"))
    url = reverse("networks:representative_add", args=["kenya", membership.pk])
    response = secretariat_client.post(
        url, {"email": "Jane@UNFPA.org", "full_name": "Jane Doe", "kind": "principal"}
    )
    assert response.status_code == 302
    rep = Representative.objects.get(membership=membership)
    assert rep.person.email == "jane@unfpa.org"
    assert rep.participation_level == "Deputies/Senior PMs or their designated representatives"


def test_designating_by_htmx_returns_only_the_updated_row(secretariat_client, kenya):
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("UNFPA"))
    url = reverse("networks:representative_add", args=["kenya", membership.pk])
    response = secretariat_client.post(
        url,
        {"email": "j@unfpa.org", "full_name": "Jane Row", "kind": "principal"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="seat-{membership.pk}"') and "<html" not in html
    assert "Jane Row" in html


def test_bad_representative_input_shows_errors_and_changes_nothing(secretariat_client, kenya):
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("UNFPA"))
    url = reverse("networks:representative_add", args=["kenya", membership.pk])
    response = secretariat_client.post(
        url, {"email": "not-an-email", "kind": "principal"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422 and response["HX-Retarget"] == f"#rep-form-{membership.pk}"
    assert "Enter a valid email address." in response.content.decode()
    dates = secretariat_client.post(
        url,
        {
            "email": "a@b.org",
            "full_name": "A",
            "kind": "principal",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
        },
    )
    assert "The end date cannot be before the start date." in dates.content.decode()
    new_person = secretariat_client.post(url, {"email": "new@b.org", "kind": "principal"})
    assert "Give the person&#x27;s name." in new_person.content.decode()
    assert not Representative.objects.filter(membership=membership).exists()


def _record(client, kind, data, **query):
    """Kenya: the Executive Committee's decision, taken elsewhere, recorded by the Secretariat."""
    url = reverse("decisions:decision_record", args=["kenya"]) + f"?kind={kind}"
    today = Body.objects.get(slug="executive-committee").network.today()
    return client.post(
        url, {"decided_on": today.isoformat(), "reference": "EC/1", "evidence": "minutes"} | data
    )


def test_working_group_lifecycle_through_pages(secretariat_client, kenya):
    response = _record(
        secretariat_client,
        "establish_working_group",
        {"wg_name": "Data and Evidence TWG", "wg_focus": "Migration data", "wg_permanence": "ad_hoc"},
    )
    assert response.status_code == 302
    group = Body.objects.get(network=kenya, name="Data and Evidence TWG")
    assert group.permanence == "ad_hoc" and group.co_chair_term_months == 12
    for acronym in ("ILO", "IOM"):
        secretariat_client.post(
            reverse("networks:membership_add", args=["kenya", group.slug]),
            {"organisation": org(acronym).pk, "role": "member"},
        )
    response = _record(
        secretariat_client, "select_co_chairs", {"working_group": group.pk, "co_chairs": [org("ILO").pk]}
    )
    assert response.status_code == 302
    co_chair = group.memberships.get(role="co_chair")
    assert co_chair.organisation.acronym == "ILO" and co_chair.end_date is not None
    _record(
        secretariat_client,
        "change_working_group",
        {"working_group": group.pk, "wg_name": "Data TWG", "wg_focus": "Data", "wg_permanence": "permanent"},
    )
    group.refresh_from_db()
    assert (group.name, group.permanence) == ("Data TWG", "permanent")
    _record(secretariat_client, "abolish_working_group", {"working_group": group.pk})
    group.refresh_from_db()
    assert group.abolished_on == kenya.today()
    assert not group.memberships.filter(status="active").exists()


def test_duplicate_working_group_name_is_refused(secretariat_client, kenya):
    data = {"wg_name": "Labour TWG", "wg_permanence": "permanent"}
    _record(secretariat_client, "establish_working_group", data)
    response = _record(secretariat_client, "establish_working_group", data | {"wg_name": "labour twg"})
    assert "already has a body with that name" in response.content.decode()
    assert Body.objects.filter(network=kenya, kind="working_group").count() == 1


def test_application_and_approval_through_pages(secretariat_client, kenya):
    url = reverse("networks:applications", args=["kenya"])
    secretariat_client.post(url, {"organisation": org("UN-Habitat").pk, "applied_on": "2026-10-01"})
    application = Membership.objects.get(organisation=org("UN-Habitat"), status="applied")
    page = secretariat_client.get(url).content.decode()
    assert "New members are approved by Executive Committee." in page
    early = _record(
        secretariat_client,
        "admit_member",
        {"membership": application.pk, "approve": "1", "decided_on": "2026-09-01"},
    )
    assert "cannot be before the application" in early.content.decode()
    _record(secretariat_client, "admit_member", {"membership": application.pk, "approve": "1"})
    application.refresh_from_db()
    assert application.status == "active" and application.decided_by.slug == "executive-committee"


def test_kazakhstan_secretariat_decides_an_application_on_the_page(
    client, kazakhstan, kazakhstan_secretariat
):
    client.force_login(kazakhstan_secretariat)
    application = services.apply_for_membership(by=None, network=kazakhstan, organisation=org("WFP"))
    url = reverse("networks:application_decide", args=["kazakhstan", application.pk])
    response = client.post(url, {"approve": "1", "decided_on": kazakhstan.today().isoformat()})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "active" and application.decided_by.kind == "secretariat"


def test_registry_add_and_duplicate(secretariat_client):
    url = reverse("networks:organisation_new")
    response = secretariat_client.post(
        url,
        {
            "acronym": "KNCHR",
            "name": "Kenya National Commission on Human Rights",
            "kind": "government",
            "country": "ke",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(acronym="KNCHR").country == "KE"
    again = secretariat_client.post(
        url, {"acronym": "knchr", "name": "Other", "kind": "cso", "country": "KE"}
    )
    assert "already in the registry" in again.content.decode()
    bad = secretariat_client.post(url, {"acronym": "X", "name": "X", "kind": "cso", "country": "K1"})
    assert "two-letter ISO code" in bad.content.decode()
    page = secretariat_client.get(reverse("networks:organisations") + "?q=knchr").content.decode()
    assert "Kenya National Commission" in page


def test_member_cannot_add_to_the_registry(client, kenya_member):
    client.force_login(kenya_member)
    assert client.get(reverse("networks:organisations")).status_code == 200
    assert client.post(reverse("networks:organisation_new"), {"acronym": "Z"}).status_code == 403


def test_audit_log_page_lists_changes_for_the_secretariat_only(
    secretariat_client, kenya, client, kenya_member
):
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("WFP"))
    services.end_membership(by=None, membership=membership)
    page = secretariat_client.get(reverse("networks:audit_log", args=["kenya"])).content.decode()
    assert "WFP — Member, Kenya UN Network on Migration" in page and "ended" in page
    client.force_login(kenya_member)
    assert client.get(reverse("networks:audit_log", args=["kenya"])).status_code == 403


@pytest.mark.clock
def test_members_list_exports_as_xlsx_and_csv(client, kenya, kenya_member, seat):
    unhcr = seat(kenya, "executive-committee", "UNHCR", email="=cmd@unhcr.org")
    unhcr.phone = "+254 700 000000"
    unhcr.save()
    Membership.objects.filter(
        body__network=kenya, body__slug="executive-committee", organisation=org("UNHCR")
    ).update(start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2027, 12, 31))
    client.force_login(kenya_member)
    response = client.get(reverse("networks:members_xlsx", args=["kenya"]))
    today = kenya.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="kenya-members-{today}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Body", "Organisation", "Organisation name", "Role", "Term start", "Term end")
    fao = [r for r in rows if r[1] == "FAO" and r[6]]
    assert fao[0][0] == "Kenya UN Network on Migration" and fao[0][7] == "Principal"
    assert any(r[1] == "UNDESA" and r[0] == "Executive Committee" for r in rows)
    row = next(i for i, r in enumerate(rows, start=1) if r[9] == "=cmd@unhcr.org")
    email = sheet.cell(row, 10)
    assert email.data_type == "s" and email.quotePrefix  # text, never a formula
    assert sheet.cell(row, 11).value == "+254 700 000000"  # a phone number is not mangled
    start, end = sheet.cell(row, 5), sheet.cell(row, 6)
    assert (
        start.is_date
        and start.value.date() == datetime.date(2026, 1, 1)
        and start.number_format == "yyyy-mm-dd"
    )
    assert end.is_date and end.value.date() == datetime.date(2027, 12, 31)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:L")
    assert int(sheet.column_dimensions["C"].width) == 40 and sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1" and sheet.sheet_properties.pageSetUpPr.fitToPage

    response = client.get(reverse("networks:members_csv", args=["kenya"]))
    assert response["Content-Disposition"] == f'attachment; filename="kenya-members-{today}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 as Excel on Windows recognises it
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) == len(rows) and table[0][0] == "Body"
    unhcr_row = next(r for r in table if r[9] == "'=cmd@unhcr.org")
    assert unhcr_row[10] == "+254 700 000000" and unhcr_row[4:6] == ["2026-01-01", "2027-12-31"]


def test_audit_records_the_web_as_source(secretariat_client, kenya):
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("UNFPA"))
    secretariat_client.post(
        reverse("networks:representative_add", args=["kenya", membership.pk]),
        {"email": "s@unfpa.org", "full_name": "S", "kind": "principal"},
    )
    assert ChangeLog.objects.filter(content_type__model="representative").latest("id").source == "web"


def test_audit_log_filters_and_shows_network_local_time(secretariat_client, kenya):
    import datetime

    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("WFP"))
    rep = services.designate_representative(by=None, membership=membership, email="t@wfp.org", full_name="T")
    services.remove_representative(by=None, representative=rep)
    entry = ChangeLog.objects.latest("id")
    ChangeLog.objects.filter(pk=entry.pk).update(
        timestamp=datetime.datetime(2026, 1, 5, 21, 30, tzinfo=datetime.UTC)
    )
    page = secretariat_client.get(
        reverse("networks:audit_log", args=["kenya"]) + "?action=delete"
    ).content.decode()
    assert "1 change" in page and "2026-01-06 00:30" in page  # Nairobi is UTC+3
    api = secretariat_client.get("/api/v1/networks/kenya/audit-log/?action=delete").json()
    assert api["count"] == 1 and api["results"][0]["timestamp"].endswith("+03:00")


def test_designate_form_loads_on_demand_so_body_pages_stay_small(secretariat_client, kenya):
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("UNFPA"))
    page = secretariat_client.get(reverse("networks:body", args=["kenya", "network"])).content.decode()
    assert 'name="email"' not in page and "Designate a representative" in page
    url = reverse("networks:representative_add", args=["kenya", membership.pk])
    fragment = secretariat_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert (
        fragment.startswith(f'<form class="stack" id="rep-form-{membership.pk}"')
        and 'name="email"' in fragment
    )
    full = secretariat_client.get(url).content.decode()  # without JavaScript: a page of its own
    assert "<html" in full and 'name="email"' in full


def test_editing_a_membership_term(secretariat_client, kenya):
    membership = Membership.objects.get(body__network=kenya, body__slug="network", organisation=org("UNFPA"))
    url = reverse("networks:membership_edit", args=["kenya", membership.pk])
    bad = secretariat_client.post(url, {"start_date": "2026-05-01", "end_date": "2026-01-01"})
    assert "The end date cannot be before the start date." in bad.content.decode()
    secretariat_client.post(url, {"start_date": "2026-01-01", "note": "Joined at the 1st meeting"})
    membership.refresh_from_db()
    assert (str(membership.start_date), membership.note) == ("2026-01-01", "Joined at the 1st meeting")


@pytest.mark.clock
def test_the_home_keeps_its_bodies_until_a_change_or_the_next_day_and_then_shows_it(
    secretariat_client, kenya
):
    """The bodies and their seats are cached (fewer queries); a designation, its removal, a
    renamed organisation and the day a term ends each show at the next request."""
    home = reverse("networks:home", args=["kenya"])
    plenary = kenya.bodies.get(kind=Body.Kind.PLENARY)
    membership = plenary.memberships.get(organisation=org("ILO"))
    with CaptureQueriesContext(connection) as rendered:
        assert "Wanjiru Kamau" not in secretariat_client.get(home).content.decode()
    with CaptureQueriesContext(connection) as cached:
        secretariat_client.get(home)
    assert len(cached) == len(rendered) - 3, [q["sql"] for q in rendered]  # bodies, seats, people spared
    rep = services.designate_representative(
        by=None,
        membership=membership,
        email="w.kamau@ilo.test",
        full_name="Wanjiru Kamau",
        end_date=kenya.today(),
    )
    assert "Wanjiru Kamau" in secretariat_client.get(home).content.decode()
    audit.save_changes(org("ILO"), by=None, network_id=None, fields={"acronym": "ILO-KE"})
    assert "ILO-KE" in secretariat_client.get(home).content.decode()  # the shared registry changed
    # Just past midnight in Nairobi, within the day the cache would otherwise keep the page.
    next_day = datetime.datetime.combine(
        kenya.today() + datetime.timedelta(days=1), datetime.time(0, 1), kenya.zone
    )
    with time_machine.travel(next_day, tick=False):
        page = secretariat_client.get(home).content.decode()
        assert "ILO-KE" in page and "Wanjiru Kamau" not in page  # her term ended yesterday
    services.remove_representative(by=None, representative=rep)
    assert "Wanjiru Kamau" not in secretariat_client.get(home).content.decode()
