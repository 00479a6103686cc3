"""Each releasable record's own page offers "Propose for release" to the Secretariat (where the
record may be released and nothing is live yet) and shows every member where its release stands:
proposed, in clearance, or released with the public page's address. One query for all the records
on a page, however many are released."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from convene.decisions import services as decisions
from convene.decisions.models import Decision, Proposal
from convene.meetings import services as meetings
from convene.meetings.models import Minutes
from convene.networks.models import Organisation
from convene.reports import services as reports
from convene.statements import releases, services
from convene.statements.models import Release

pytestmark = pytest.mark.clock


def pdf(name="paper.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 paper", content_type="application/pdf")


def adopted(kenya, title="Adopted") -> Decision:
    proposal = decisions.propose(
        by=None, network=kenya, body=kenya.bodies.get(slug="executive-committee"), title=title, text="T"
    )
    decisions.close_proposal(by=None, proposal=proposal)
    return proposal.decision


def approved_minutes(kenya) -> Minutes:
    start = timezone.now() - datetime.timedelta(days=2)
    meeting = meetings.schedule_meeting(
        by=None,
        body=kenya.bodies.get(slug="network"),
        title="Q3 meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    minutes = meetings.start_minutes(by=None, meeting=meeting)
    # Set-up only: the lifecycle to approval is the meetings' own tests'.
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.APPROVED, approved_at=timezone.now())
    minutes.refresh_from_db()
    return minutes


def issued_statement(kenya, seat, title="World Migrants Day"):
    coordinator = seat(kenya, "secretariat", "IOM", role="coordinator")
    statement = services.draft_statement(
        by=None,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title=title,
        texts={"en": {"text": "We stand together."}},
        authoritative_language="en",
    )
    round = services.put_to_clearance(by=None, statement=statement)
    services.close_round(by=None, round=round, now=round.deadline + datetime.timedelta(seconds=1))
    statement.refresh_from_db()
    services.sign_off(
        by=coordinator, statement=statement, organisation=Organisation.objects.get(acronym="IOM")
    )
    statement.refresh_from_db()
    return statement


def issued_report(kenya):
    report = reports.create_report(
        by=None,
        network=kenya,
        audience="unct",
        period="year",
        year=kenya.today().year,
        title="Annual report",
        recipients=["r@un.test"],
    )
    return reports.issue_report(by=None, report=report)


def propose_link(record) -> str:
    network = releases.releasable(record).network(record)
    url = reverse("statements:release_new", args=[network.slug])
    return html.escape(f"{url}?{urlencode({'record': releases.reference(record)})}")


@pytest.fixture
def records(kenya, seat):
    """Every kind of releasable record, each with the page that shows it."""
    decision = adopted(kenya)
    minutes = approved_minutes(kenya)
    item = meetings.add_agenda_item(by=None, meeting=minutes.meeting, title="Brief")
    paper = meetings.attach_paper(by=None, item=item, upload=pdf(), title="Policy brief")
    proposal_paper = decisions.attach_document(
        by=None, proposal=decision.proposal, upload=pdf("annex.pdf"), title="Annex"
    )
    statement = issued_statement(kenya, seat)
    version = issued_report(kenya)
    meeting = minutes.meeting
    return [
        (decision, reverse("decisions:proposal", args=["kenya", decision.proposal_id])),
        (minutes, reverse("meetings:minutes", args=["kenya", meeting.pk])),
        (paper, reverse("meetings:detail", args=["kenya", meeting.pk])),
        (proposal_paper, reverse("decisions:proposal", args=["kenya", decision.proposal_id])),
        (statement, reverse("statements:statement", args=["kenya", statement.pk])),
        (version, reverse("reports:detail", args=["kenya", version.report_id])),
    ]


def test_the_secretariat_proposes_each_kind_of_record_from_its_own_page(client, kenya_secretariat, records):
    client.force_login(kenya_secretariat)
    for record, page in records:
        link = propose_link(record)
        assert link in client.get(page).content.decode(), (record, page)
        # The link opens the proposal with the record chosen.
        form = client.get(html.unescape(link)).content.decode()
        assert f'name="record" value="{releases.reference(record)}"' in form
        response = client.post(html.unescape(link), {"record": releases.reference(record), "summary": "S"})
        release = releases.live_release(record)
        assert response.url == reverse("statements:release", args=["kenya", release.pk])
        shown = client.get(page).content.decode()
        assert link not in shown and "Proposed for release" in shown, (record, page)
    assert Release.objects.filter(status=Release.Status.PROPOSED).count() == len(records)


def test_members_see_where_each_release_stands_and_never_the_link(client, kenya, kenya_member, records):
    client.force_login(kenya_member)
    decision = records[0][0]
    for record, page in records:
        assert propose_link(record) not in client.get(page).content.decode()
    release = releases.propose_release(by=None, record=decision)
    page = reverse("decisions:proposal", args=["kenya", decision.proposal_id])
    assert "Proposed for release" in client.get(page).content.decode()
    releases.put_release_to_clearance(by=None, release=release)
    shown = client.get(page).content.decode()
    assert "In clearance" in shown and reverse("statements:release", args=["kenya", release.pk]) in shown
    releases.withdraw_release(by=None, release=release, reason="To be agreed by decision instead.")
    release = releases.propose_release(by=None, record=decision)
    releases.release_by_decision(by=None, release=release, decision=adopted(kenya, "Publish"))
    shown = client.get(page).content.decode()
    public = reverse("statements:public_release", args=["kenya", release.pk])
    assert f'href="{public}">Released — on the public page</a>' in shown
    register = client.get(reverse("decisions:register", args=["kenya"])).content.decode()
    assert public in register  # the register's row says so too


def test_no_link_where_the_record_cannot_be_released(client, kenya, kenya_secretariat, seat):
    draft = services.draft_statement(
        by=None,
        network=kenya,
        body=kenya.bodies.get(kind="plenary"),
        title="Draft",
        texts={"en": {"text": "Text."}},
        authoritative_language="en",
    )
    minutes = approved_minutes(kenya)
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.CIRCULATED)
    client.force_login(kenya_secretariat)
    for record, page in (
        (draft, reverse("statements:statement", args=["kenya", draft.pk])),
        (minutes, reverse("meetings:minutes", args=["kenya", minutes.meeting_id])),
    ):
        shown = client.get(page).content.decode()
        assert "Propose for release" not in shown and releases.reference(record) not in shown


def test_the_register_asks_once_whatever_the_number_of_releases(
    client, kenya, kenya_member, kenya_secretariat
):
    def bulk(n, start):
        body = kenya.bodies.get(slug="executive-committee")
        made = []
        for k in range(start, start + n):
            proposal = Proposal.objects.create(
                network=kenya, body=body, title=f"D{k}", text="T", status="adopted", closed_at=timezone.now()
            )
            made.append(
                Decision.objects.create(
                    network=kenya, body=body, proposal=proposal, number=f"KEN/2020/{k:05d}", year=2020,
                    sequence=k, title=f"D{k}", text="T", adopted_by="consensus", adopted_at=timezone.now(),
                )
            )  # fmt: skip
        for d in made:
            release = releases.propose_release(by=None, record=d)
            if d.sequence % 2:
                Release.objects.filter(pk=release.pk).update(status=Release.Status.RELEASED)

    def count(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("decisions:register", args=["kenya"]))
        assert page.status_code == 200
        return len(ctx), page.content.decode()

    bulk(2, 1)
    few = {u.pk: count(u)[0] for u in (kenya_member, kenya_secretariat)}
    bulk(40, 3)
    many = {}
    for user in (kenya_member, kenya_secretariat):
        many[user.pk], page = count(user)
        assert page.count("Released — on the public page") == 21 and page.count("Proposed for release") == 21
    assert many == few
