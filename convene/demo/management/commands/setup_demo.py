"""Load both charters and clearly marked demo people, once. Running it again changes nothing."""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from convene.core.audit import audit_source, save_changes
from convene.core.models import ChangeLog
from convene.decisions import rules as decision_rules
from convene.decisions import services as decisions
from convene.decisions.models import Proposal
from convene.meetings import services as meetings
from convene.meetings.models import Meeting, Minutes
from convene.networks import charter, services
from convene.networks.models import Body, Membership, Network, Organisation
from convene.reports import services as reports
from convene.workplans import queries as workplan_queries
from convene.workplans import services as workplans
from convene.workplans.models import GcmObjective, SdgTarget, Workplan

User = get_user_model()
DEMO_DOMAIN = "demo.convene.invalid"
DEMO_PASSWORD = "convene-demo"
CHARTERS = ["kenya.yaml", "kazakhstan.yaml"]
# Whose seats the demo fills: everyone in these bodies gets a principal representative.
SEATED = [Body.Kind.PLENARY, Body.Kind.EXECUTIVE, Body.Kind.CO_CHAIRS, Body.Kind.SECRETARIAT]


def demo_email(acronym: str, network: Network) -> str:
    return f"{slugify(acronym.replace('/', '-'))}.{network.slug}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = "Load the Kenya and Kazakhstan charters and demo representatives (marked as demo)."

    def handle(self, *args, **options):
        for name in CHARTERS:
            text = (Path(settings.BASE_DIR) / "charters" / name).read_text(encoding="utf-8")
            slug = charter.parse(text)["network"]["slug"]
            if not Network.objects.filter(slug=slug).exists():
                result = charter.load(text)
                self.stdout.write(f"Loaded {result.network} from charters/{name}")
        if User.objects.filter(email=f"admin@{DEMO_DOMAIN}").exists():
            self._decisions_once(User.objects.get(email=f"admin@{DEMO_DOMAIN}"))
            self.stdout.write("Demo people already there; nothing to do.")
            return
        with transaction.atomic(), audit_source(ChangeLog.Source.COMMAND):
            admin = User.objects.create_superuser(
                email=f"admin@{DEMO_DOMAIN}",
                password=DEMO_PASSWORD,
                full_name="Demo Administrator",
                is_demo=True,
            )
            for network in Network.objects.filter(slug__in=["kenya", "kazakhstan"]):
                # The real charters leave the Secretariat's mailbox unset (unknown); the demo has one,
                # so replies and answers to invitations have somewhere to go.
                save_changes(
                    network,
                    by=admin,
                    network_id=network.pk,
                    fields={"email": f"secretariat.{network.slug}@{DEMO_DOMAIN}"},
                )
                self._seat_people(network, admin)
            self._demo_working_group(Network.objects.get(slug="kenya"), admin)
            for network in Network.objects.filter(slug__in=["kenya", "kazakhstan"]):
                self._demo_meetings(network, admin)
        self._decisions_once(admin)
        self.stdout.write("Demo people created (every demo account's password: convene-demo).")

    def _person(self, acronym: str, network: Network, *, alternate: bool = False):
        email = demo_email(acronym, network)
        name = f"{acronym} {'alternate' if alternate else 'representative'} (demo)"
        if alternate:
            email = email.replace("@", "-alt@")
        person = User.objects.filter(email=email).first()
        if person is None:
            person = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=name,
                is_demo=True,
                job_title=f"{acronym}, {network.short_name or network.name}",
            )
        return person

    def _seat_people(self, network: Network, by):
        memberships = Membership.objects.current(on=network.today()).filter(
            body__network=network, body__kind__in=SEATED
        )
        for m in memberships.select_related("organisation", "body"):
            person = self._person(m.organisation.acronym, network)
            services.designate_representative(by=by, membership=m, email=person.email)
            if m.body.kind == Body.Kind.PLENARY and m.organisation.acronym in ("IOM", "UNHCR"):
                alternate = self._person(m.organisation.acronym, network, alternate=True)
                services.designate_representative(
                    by=by, membership=m, email=alternate.email, kind="alternate"
                )

    def _demo_working_group(self, network: Network, by):
        partner = services.create_organisation(
            by=by,
            acronym="KCSMC-DEMO",
            name="Kenya Civil Society Migration Consortium (demo)",
            kind=Organisation.Kind.CSO,
            country="KE",
            network=network,
        )
        # The Executive Committee establishes TWGs and selects their co-chairs (the charter): its
        # decisions, taken at a meeting not kept here, are recorded by the Secretariat.
        established = decisions.record_decision_taken_elsewhere(
            by=by,
            network=network,
            kind=Proposal.Kind.ESTABLISH_WORKING_GROUP,
            decided_on=network.today(),
            reference="EC/DEMO/1",
            evidence="Executive Committee meeting record (demo)",
            payload={
                "name": "Labour Migration TWG (demo)",
                "focus": (
                    "Fair recruitment, bilateral labour agreements and the protection of migrant workers."
                ),
                "participation_level": (
                    "Programme Managers (operational and technical) or their designated representatives"
                ),
            },
        )
        group = established.proposal.working_group
        for acronym in ("ILO", "IOM", "UN Women"):
            m = services.add_membership(
                by=by, body=group, organisation=Organisation.objects.get(acronym=acronym)
            )
            services.designate_representative(
                by=by,
                membership=m,
                email=demo_email(acronym, network),
                full_name=f"{acronym} representative (demo)",
            )
        m = services.add_membership(
            by=by, body=group, organisation=partner, role=Membership.Role.EXTERNAL_PARTNER
        )
        person = User.objects.create_user(
            email=f"partner.kenya@{DEMO_DOMAIN}",
            password=DEMO_PASSWORD,
            full_name="KCSMC partner (demo)",
            is_demo=True,
        )
        services.designate_representative(by=by, membership=m, email=person.email)
        decisions.record_decision_taken_elsewhere(
            by=by,
            network=network,
            kind=Proposal.Kind.SELECT_CO_CHAIRS,
            decided_on=network.today(),
            reference="EC/DEMO/2",
            evidence="Executive Committee meeting record (demo)",
            working_group=group,
            payload={
                "organisations": list(
                    Organisation.objects.filter(acronym__in=["ILO", "IOM"], country="").values_list(
                        "pk", flat=True
                    )
                )
            },
        )

    def _demo_meetings(self, network: Network, by):
        """A quarterly meeting held last month (attendance, circulated minutes) and the next one."""
        plenary = network.bodies.get(kind=Body.Kind.PLENARY)
        today = network.today()
        past_day, next_day = today - datetime.timedelta(days=30), today + datetime.timedelta(days=21)
        ten, noon = datetime.time(10), datetime.time(12)
        past = meetings.schedule_meeting(
            by=by,
            body=plenary,
            title="Quarterly meeting (demo)",
            starts_at=meetings.local_datetime(past_day, ten, network.timezone),
            ends_at=meetings.local_datetime(past_day, noon, network.timezone),
            location="UN House (demo)",
        )
        for title, kind in [
            ("Welcome and adoption of the agenda", "decision"),
            ("GCM implementation: updates from members", "information"),
            ("Annual workplan: progress review", "discussion"),
            ("Any other business", "discussion"),
        ]:
            meetings.add_agenda_item(by=by, meeting=past, title=title, kind=kind, duration_minutes=20)
        rows = [
            {
                "organisation": s["organisation"],
                "status": "present",
                "person": next(iter(s["people"].values()))[0] if s["people"] else None,
                "designate_name": "" if s["people"] else "Designate (demo)",
            }
            for s in meetings.expected_members(past)
        ]
        meetings.record_attendance(by=by, meeting=past, rows=rows)
        meetings.mark_held(by=by, meeting=past)
        minutes = meetings.start_minutes(by=by, meeting=past)
        meetings.save_minutes(
            by=by,
            minutes=minutes,
            revision=0,
            summary="Demo minutes: not a real meeting.",
            items={i.pk: {"notes": "Discussed (demo)."} for i in minutes.items.all()},
        )
        meetings.circulate_minutes(
            by=by, minutes=minutes, comment_deadline=today + datetime.timedelta(days=1)
        )
        # As if the agenda went out ten days ahead and the minutes five days after.
        Meeting.objects.filter(pk=past.pk).update(
            agenda_circulated_at=past.starts_at - datetime.timedelta(days=10)
        )
        Minutes.objects.filter(pk=minutes.pk).update(circulated_at=past.ends_at + datetime.timedelta(days=5))
        upcoming = meetings.schedule_meeting(
            by=by,
            body=plenary,
            title="Next quarterly meeting (demo)",
            starts_at=meetings.local_datetime(next_day, ten, network.timezone),
            ends_at=meetings.local_datetime(next_day, noon, network.timezone),
            location="UN House (demo)",
        )
        meetings.add_agenda_item(by=by, meeting=upcoming, title="Members list review", kind="information")

    def _decisions_once(self, by):
        """Decisions and workplans came after the first demo: a database set up before them gets
        them too."""
        with transaction.atomic(), audit_source(ChangeLog.Source.COMMAND):
            for network in Network.objects.filter(slug__in=["kenya", "kazakhstan"]):
                if not Proposal.objects.filter(network=network).exists():
                    self._demo_decisions(network, by)
                if not Workplan.objects.filter(network=network).exists():
                    self._demo_workplan(network, by)

    def _demo_workplan(self, network: Network, by):
        """This year's workplan, adopted, with activities tagged to the GCM, progress, and a draft report."""
        year = network.today().year
        workplan = workplans.create_workplan(by=by, network=network, year=year, summary="Demo workplan.")
        activities = [
            (
                "1.1",
                "Fair recruitment and decent work (demo)",
                "ILO",
                [6],
                ["8.8", "10.7"],
                120000,
                80000,
                20000,
            ),
            ("1.2", "Migration data and evidence (demo)", "IOM", [1], ["17.18"], 90000, 90000, 0),
            ("2.1", "Counter-trafficking referral (demo)", "UNODC", [10], ["16.2"], 60000, 15000, 15000),
            ("2.2", "Access to basic services (demo)", "UNICEF", [15], ["10.7"], 40000, 0, 10000),
        ]
        seated = {
            m.organisation.acronym
            for m in Membership.objects.current(on=network.today()).filter(body__network=network)
        }
        for code, title, lead, objectives, targets, budget, funded, pipeline in activities:
            if lead not in seated:
                lead = "IOM"
            activity = workplans.add_activity(
                by=by,
                workplan=workplan,
                code=code,
                title=title,
                lead_organisation=Organisation.objects.get(acronym=lead, country=""),
                start_quarter=1,
                end_quarter=4,
                budget=budget,
                funded=funded,
                pipeline=pipeline,
                funding_source="mptf" if funded else "",
                gcm_objectives=list(GcmObjective.objects.filter(number__in=objectives)),
                sdg_targets=list(SdgTarget.objects.filter(code__in=targets)),
            )
            quarter = (network.today().month - 1) // 3 + 1
            workplans.report_progress(
                by=by,
                activity=activity,
                year=year,
                quarter=quarter,
                narrative="Demo progress.",
                percent=25 * quarter if code != "2.2" else 10,
                rag="green" if code != "2.2" else "amber",
            )
        if workplan_queries.consults_members(workplan):
            # Kenya's EC decides in consultation with the members: they are asked first.
            workplans.open_consultation(by=by, workplan=workplan)
        proposal = workplans.submit_workplan(by=by, workplan=workplan)
        for m in decision_rules.deciding_members(proposal.body):
            decisions.record_position(
                by=by, proposal=proposal, organisation=m.organisation, stance="agree", channel="email"
            )
        for consultation in proposal.consultations.all():  # Kazakhstan: the Ministry of Labour
            decisions.record_consultation(
                by=by,
                consultation=consultation,
                consulted_on=network.today(),
                consulted=f"{consultation.organisation.acronym} (demo)",
                outcome="No objection (demo).",
            )
        decisions.close_proposal(by=by, proposal=proposal)
        reports.create_report(
            by=by,
            network=network,
            audience="unct",
            period="year",
            year=year,
            recipients=[f"rco@{DEMO_DOMAIN}"],
        )

    def _demo_decisions(self, network: Network, by):
        """An adopted decision with its follow-up, a silence procedure running, and (Kenya) a matter
        tabled to the UNCT or (Kazakhstan) a decision waiting for the Ministry of Labour."""
        body = decision_rules.deciding_body_for(network, Proposal.Kind.GENERAL)
        members = [m.organisation for m in decision_rules.deciding_members(body)]
        today = network.today()
        adopted = decisions.propose(
            by=by,
            network=network,
            body=body,
            title="Annual workplan priorities (demo)",
            text="The Network focuses its workplan on fair recruitment and migration data.",
            topic="Workplan",
            concerns_state=False,
        )
        for organisation in members:  # agreed by e-mail, recorded by the Secretariat
            decisions.record_position(
                by=by, proposal=adopted, organisation=organisation, stance="agree", channel="email"
            )
        decision = decisions.close_proposal(by=by, proposal=adopted).decision
        for n, (title, status) in enumerate(
            [("Draft the fair recruitment brief (demo)", "done"), ("Map migration data sources (demo)", "")]
        ):
            action = decisions.create_action_item(
                by=by,
                network=network,
                decision=decision,
                title=title,
                owner_organisation=members[n % len(members)],
                due_date=today + datetime.timedelta(days=14 * (n * 2 - 1)),
            )
            if status:
                decisions.report_progress(by=by, action=action, text="Shared with members.", status=status)
        decisions.propose(
            by=by,
            network=network,
            body=body,
            title="Joint statement for International Migrants Day (demo)",
            text="The Network issues the attached joint statement on 18 December.",
            topic="Advocacy",
            procedure=Proposal.Procedure.WRITTEN,
            deadline=timezone.now() + datetime.timedelta(days=5),
            concerns_state=False,
        )
        if body.escalates_to:
            contested = decisions.propose(
                by=by,
                network=network,
                body=body,
                title="Common messaging on returns (demo)",
                text="The Network adopts the common messages on returns and reintegration.",
                topic="Return and reintegration",
            )
            decisions.record_position(
                by=by,
                proposal=contested,
                organisation=members[-1],
                stance="object",
                reason="Needs protection safeguards (demo).",
                channel="email",
            )
            decisions.close_proposal(by=by, proposal=contested)
        for rule in decision_rules.consultation_rules(network):
            # The ministry's focal point signs in to answer the consultations put to it, and only that.
            person = User.objects.create_user(
                email=f"{slugify(rule.organisation.acronym)}.{network.slug}@{DEMO_DOMAIN}",
                password=DEMO_PASSWORD,
                full_name=f"{rule.organisation.acronym} focal point (demo)",
                is_demo=True,
            )
            decisions.designate_focal_point(
                by=by, network=network, organisation=rule.organisation, email=person.email
            )
            decisions.propose(
                by=by,
                network=network,
                body=body,
                title="Position paper on labour migration statistics (demo)",
                text="The Network shares the position paper with the Government.",
                topic="Migration data",
                consultations=[rule],
            )
