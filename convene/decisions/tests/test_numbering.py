"""Two decisions adopted at the same instant get distinct, consecutive numbers (PostgreSQL, where
transactions really run side by side; SQLite writes one transaction at a time)."""

import threading
import time

import pytest
from django.db import connection

from convene.decisions import rules, services
from convene.decisions.models import Decision

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_adoptions_get_distinct_consecutive_numbers(propose, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one write transaction at a time, so there is no race")
    first, second = propose(title="First"), propose(title="Second")
    prefix = rules.register_prefix

    def slow_prefix(network):
        time.sleep(0.3)  # between reading the last number and writing the next: the race window
        return prefix(network)

    monkeypatch.setattr(rules, "register_prefix", slow_prefix)
    barrier, errors = threading.Barrier(2), []

    def adopt(proposal):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.close_proposal(by=None, proposal=proposal)
        except Exception as exc:  # recorded for the assertion below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=adopt, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "an adoption is still waiting"
    assert not errors, errors  # without the lock: IntegrityError on (network, year, sequence)
    year = first.network.today().year
    numbers = sorted(Decision.objects.values_list("number", flat=True))
    assert numbers == [f"KEN/{year}/001", f"KEN/{year}/002"]
