"""What the task worker changes is audited as the worker's, not as an anonymous change from the web."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from convene.core.models import ChangeLog
from convene.decisions.models import Decision, Proposal
from convene.meetings.reminders import schedule_reminders

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_silence_procedure_the_hourly_task_adopts_is_recorded_as_the_workers(propose, ec, run_worker):
    proposal = propose(procedure="written", deadline=timezone.now() + datetime.timedelta(days=5))
    proposed = ChangeLog.objects.get(
        content_type=ContentType.objects.get_for_model(Proposal),
        object_id=str(proposal.pk),
        action=ChangeLog.Action.CREATE,
    )
    assert proposed.source == ChangeLog.Source.WEB  # by the Secretariat, through a service like a page
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6), tick=False):
        schedule_reminders()
        run_worker()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ADOPTED
    decision = Decision.objects.get(proposal=proposal)
    closed = ChangeLog.objects.filter(timestamp__gt=proposed.timestamp).exclude(pk=proposed.pk)
    assert {(entry.content_type.model_class(), entry.object_id) for entry in closed} >= {
        (Proposal, str(proposal.pk)),
        (Decision, str(decision.pk)),
    }
    assert {(entry.source, entry.actor_id) for entry in closed} == {(ChangeLog.Source.WORKER, None)}
