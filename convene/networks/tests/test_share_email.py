"""Sharing the members list e-mails it to every member representative, through a real SMTP server
and the real task worker.

The Secretariat's POST commits for real (transactional tests), so delivery is queued by the
`on_commit` hook; `manage.py db_worker --batch` then runs it and the SMTP backend delivers to an
aiosmtpd server on the loopback interface (fixtures in the root conftest).
"""

import email
import email.policy
import html
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from convene.core.models import OutboundEmail
from convene.decisions import testing as charter_powers
from convene.networks import exports, services
from convene.networks.models import Membership, Representative

# The worker's data is gone after each transactional test; bring the migrations' data back (the UN
# entities the charters name) instead of leaving empty tables to the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def member_emails(network) -> set[str]:
    """Computed from the tables, not through the code under test."""
    return set(
        Representative.objects.filter(membership__body__network=network, membership__status="active")
        .exclude(membership__role=Membership.Role.EXTERNAL_PARTNER)
        .values_list("person__email", flat=True)
    )


def test_secretariat_shares_members_list_by_email_through_the_worker(
    client, smtp_server, run_worker, kenya, seat, kenya_secretariat, kenya_member, kazakhstan
):
    unhcr_rep = seat(kenya, "executive-committee", "UNHCR")
    outsider = seat(kazakhstan, "network", "FAO")  # another network: must not get Kenya's list
    group = charter_powers.establish_working_group(network=kenya, name="TWG")
    cso = services.create_organisation(by=None, acronym="CSO", name="A CSO", kind="cso", country="KE")
    services.add_membership(by=None, body=group, organisation=cso, role="external_partner")
    partner = seat(kenya, group.slug, "CSO", role="external_partner")
    expected = member_emails(kenya)
    assert {kenya_secretariat.email, kenya_member.email, unhcr_rep.email} <= expected
    assert outsider.email not in expected and partner.email not in expected

    client.force_login(kenya_secretariat)
    url = reverse("networks:members_share", args=["kenya"])
    page = client.post(url).content.decode()  # the button shows who gets what first
    assert f"{len(expected)} recipients" in page and "Nothing has been sent yet." in page
    for person in (kenya_member, unhcr_rep):
        assert (
            f"<td>{person.full_name}</td><td>{person.full_name.split()[0]}</td><td>{person.email}</td>"
            in page
        )
    assert outsider.email not in page and partner.email not in page
    preview = services.members_list_message(kenya)
    assert html.escape(preview.subject) in page and html.escape(preview.body) in page
    kenya.refresh_from_db()
    assert kenya.members_list_shared_at is None and not OutboundEmail.objects.exists()

    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', page)[1]
    response = client.post(url, {"confirm": "1", "fingerprint": fingerprint}, follow=True)

    assert response.redirect_chain == [(reverse("networks:members", args=["kenya"]), 302)]
    assert f"The members list is being sent to {len(expected)} representatives." in response.content.decode()
    kenya.refresh_from_db()
    assert kenya.members_list_shared_at is not None
    assert DBTaskResult.objects.filter(status="READY").count() == len(expected)
    assert smtp_server.received == []  # nothing is sent in the request

    run_worker()

    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    received = {tuple(e.rcpt_tos): e for e in smtp_server.received}
    assert {address for rcpts in received for address in rcpts} == expected  # one message each, nobody else
    message = email.message_from_bytes(next(iter(received.values())).content, policy=email.policy.default)
    assert message["Subject"].startswith(f"[{kenya}] Members list, ")
    assert message["Subject"] == preview.subject  # exactly what was shown
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith(preview.body.strip() + "\n\n-- \n")
    assert "You receive this as the principal representative of " in text  # why they get it
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"kenya-members-{kenya.today().isoformat()}.xlsx"
    assert attachment.get_content_type() == exports.XLSX_TYPE
    rows = list(load_workbook(io.BytesIO(attachment.get_content())).active.iter_rows(values_only=True))
    header = list(rows[0])
    org_col, email_col = header.index("Organisation"), header.index("E-mail")
    assert any(row[org_col] == "FAO" for row in rows[1:])
    assert {row[email_col] for row in rows[1:]} >= expected
    assert outsider.email not in {row[email_col] for row in rows[1:]}

    run_worker()  # the queue is empty now: nothing more is sent
    assert len(smtp_server.received) == len(expected)


def test_nothing_to_share_without_representatives(kazakhstan):
    with pytest.raises(ValidationError, match="nobody to send the list to"):
        services.share_members_list(by=None, network=kazakhstan)
    kazakhstan.refresh_from_db()
    assert kazakhstan.members_list_shared_at is None and not OutboundEmail.objects.exists()


def test_member_who_is_not_secretariat_cannot_share(client, smtp_server, run_worker, kenya, kenya_member):
    client.force_login(kenya_member)
    assert client.post(reverse("networks:members_share", args=["kenya"])).status_code == 403
    kenya.refresh_from_db()
    assert kenya.members_list_shared_at is None
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert smtp_server.received == []


def test_looking_at_what_would_be_shared_sends_nothing(client, kenya, kenya_secretariat):
    client.force_login(kenya_secretariat)
    page = client.get(reverse("networks:members_share", args=["kenya"]))
    assert page.status_code == 200 and kenya_secretariat.email in page.content.decode()
    kenya.refresh_from_db()
    assert kenya.members_list_shared_at is None and not OutboundEmail.objects.exists()


def test_a_stale_confirmation_sends_nothing(client, kenya, kenya_secretariat):
    client.force_login(kenya_secretariat)
    url = reverse("networks:members_share", args=["kenya"])
    page = client.post(url, {"confirm": "1", "fingerprint": "seen-before-a-change"}).content.decode()
    assert "changed since you looked" in page
    kenya.refresh_from_db()
    assert kenya.members_list_shared_at is None and not OutboundEmail.objects.exists()
