"""Schema-driven fuzzing: every operation of /api/v1/, with inputs generated from its OpenAPI schema,
sent in-process through WSGI as a Kenya Secretariat user holding a Bearer token. No answer may be a
server error, and every answer must be one the schema documents (status, content type and body).

Bounded and deterministic: a few examples per operation from a fixed seed, no example database.
Each example runs in a savepoint that is rolled back, so a destructive one (ending the caller's own
seat, cancelling the meeting) cannot spoil the ones after it: every example starts from the same
seed networks and records.
"""

import datetime
import itertools

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import configuration
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from convene.accounts.services import create_api_token
from convene.decisions import services as decisions
from convene.meetings import services as meetings
from convene.networks import services as networks
from convene.networks.models import Body, Membership, Organisation
from convene.reports import services as reports
from convene.workplans import services as workplans

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

CONFIG = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
# Per operation: a few examples (valid and invalid mixed) from a fixed seed, each failure reported as
# found (no shrinking).
SETTINGS = hypothesis.settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
)


@pytest.fixture
def records(kenya, kazakhstan, kenya_secretariat, seat):
    """A little of everything in Kenya, and a meeting in Kazakhstan: the ids the fuzzer aims at."""
    by = kenya_secretariat
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    plenary = Body.objects.get(network=kenya, slug="network")
    meeting = meetings.schedule_meeting(
        by=by, body=plenary, title="Quarterly", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    item = meetings.add_agenda_item(by=by, meeting=meeting, title="Workplan")
    unct = meetings.schedule_meeting(
        by=by,
        body=Body.objects.get(network=kenya, slug="unct"),
        title="UNCT",
        kind="ad_hoc",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    # A meeting already held, with draft minutes: the minutes actions reach their services.
    held = meetings.schedule_meeting(
        by=by,
        body=plenary,
        title="Held",
        starts_at=start - datetime.timedelta(days=60),
        ends_at=start - datetime.timedelta(days=60, hours=-2),
    )
    meetings.add_agenda_item(by=by, meeting=held, title="Welcome")
    meetings.start_minutes(by=by, meeting=held)
    elsewhere = meetings.schedule_meeting(
        by=seat(kazakhstan, "secretariat", "IOM", role="secretariat"),
        body=Body.objects.get(network=kazakhstan, slug="network"),
        title="Elsewhere",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    proposal = decisions.propose(
        by=by, network=kenya, body=Body.objects.get(network=kenya, slug="executive-committee"),
        title="A proposal", text="That the network meets.",
    )  # fmt: skip
    consultation = decisions.add_consultation(by=by, proposal=proposal, title="Government")
    workplan = workplans.create_workplan(by=by, network=kenya, year=start.year)
    report = reports.create_report(by=by, network=kenya, audience="unct", period="year", year=start.year)
    member = Membership.objects.filter(body=plenary, organisation__acronym="WFP").first()
    outsider = _outsider(plenary)
    application = networks.apply_for_membership(by=by, network=kenya, organisation=outsider)
    groups = list(kenya.bodies.filter(kind=Body.Kind.WORKING_GROUP).values_list("slug", flat=True))
    return {
        "networks": ["kenya", "kenya", "kenya", "kazakhstan"],
        "bodies": ["network", "executive-committee", "unct"],
        "meetings": [meeting.pk, unct.pk, held.pk, elsewhere.pk],
        "item_id": [item.pk],
        "proposals": [proposal.pk],
        "consultation_id": [consultation.pk],
        "workplans": [workplan.pk],
        "reports": [report.pk],
        "version": [1],
        "memberships": [m for m in (member and member.pk, application.pk) if m],
        "representatives": list(member.representatives.values_list("pk", flat=True) if member else []),
        "acronyms": ["IOM", "WFP", outsider.acronym],
        "working_groups": groups,
    }


def _outsider(body):
    """An international organisation that does not sit in the body."""
    return Organisation.objects.filter(country="").exclude(memberships__body=body).order_by("acronym").first()


@pytest.fixture(autouse=True)
def _hypothesis_files_in_tmp(tmp_path):
    """Hypothesis keeps caches (constants, Unicode tables) even without an example database: in the
    test's own folder, so no run leaves files in the work tree."""
    configuration.set_hypothesis_home_dir(tmp_path / "hypothesis")
    yield
    configuration.set_hypothesis_home_dir(None)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, without closing the connection around each request (as Django's own
    test client does): the test's transaction, and the savepoint around each example, stay open."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(kenya_secretariat):
    _token, key = create_api_token(user=kenya_secretariat, name="fuzz")
    # The in-process client does not decompress: ask for the body as it is (GZipMiddleware is on).
    return {"Authorization": f"Bearer {key}", "Accept-Encoding": "identity"}


def aimed_at(operation, records) -> list[dict]:
    """Path parameters naming the seed records (Kenya's, and one in a network the caller is not in)."""
    names = [p.name for p in operation.path_parameters]
    if not names:
        return []
    parts = operation.path.strip("/").split("/")
    resource = parts[4] if len(parts) > 4 and parts[2] == "networks" else parts[2]
    values = {
        name: records.get({"network_slug": "networks", "id": resource, "slug": resource}.get(name, name), [])
        for name in names
    }
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values.values())]


# Fields of a request body that name a record: in valid cases, often given a real one, so that the
# request reaches the service (a random slug or id only ever meets "no such …").
KNOWN_IN_BODY = {
    "body": "bodies",
    "called_by": "bodies",
    "working_group": "working_groups",
    "organisation": "acronyms",
    "lead_organisation": "acronyms",
    "owner_organisation": "acronyms",
    "presenter": "acronyms",
    "meeting": "meetings",
    "unct_meeting": "meetings",
    "at_meeting": "meetings",
    "membership": "memberships",
    "workplan": "workplans",
}


def with_known_values(cases, records):
    def fill(case):
        if not isinstance(case.body, dict):
            return st.just(case)
        known = {
            name: st.sampled_from(records[key])
            for name, key in KNOWN_IN_BODY.items()
            if name in case.body and records.get(key)
        }
        if not known:
            return st.just(case)
        return st.fixed_dictionaries(known).map(lambda values: _with_body(case, {**case.body, **values}))

    return cases.flatmap(fill)


def _with_body(case, body):
    case.body = body
    return case


def strategy_for(operation, records):
    """Cases for one operation, valid and invalid: all generated; in Kenya with the ids generated; aimed
    at the seed records; and, when valid, with real records named in the body too."""
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        generated = operation.as_strategy(mode)
        targeted = [
            st.sampled_from(aimed).flatmap(
                lambda params, mode=mode: operation.as_strategy(mode, path_parameters=params)
            )
            for aimed in [aimed_at(operation, records)]
            if aimed
        ]
        if "network_slug" in {p.name for p in operation.path_parameters}:
            targeted.append(operation.as_strategy(mode, path_parameters={"network_slug": "kenya"}))
        strategies += [generated, *targeted]
        if mode == GenerationMode.POSITIVE:
            strategies += [with_known_values(s, records) for s in targeted or [generated]]
    return st.one_of(strategies)


def test_api_answers_as_documented_and_never_with_a_server_error(records, bearer, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app, config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 70

    failures = {}
    for operation in operations:

        @hypothesis.given(case=strategy_for(operation, records))
        @SETTINGS
        def run(case):
            with transaction.atomic():  # every example from the same records
                response = case.call(headers=bearer)
                transaction.set_rollback(True)
            case.validate_response(response, checks=CHECKS, headers=bearer)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failures, reported together
            failures[operation.label] = exc
    assert not failures, "\n\n".join(f"{label}:\n{exc}" for label, exc in failures.items())
