"""The apps below `statements` ask here whether a record is public: without the release engine
nothing is, and no page shows a release; with it, the answer is the engine's."""

from convene.core import release_status
from convene.networks.models import Organisation


def test_without_the_release_engine_nothing_is_released_and_nothing_is_shown(monkeypatch, db):
    monkeypatch.setattr(release_status, "_engine", [])
    record = Organisation.objects.first()
    assert not release_status.is_released(record)
    assert release_status.released_ids(Organisation, [record.pk]) == set()
    release_status.annotate(None, None, [record, None])
    assert record.release_state is None
    queryset = Organisation.objects.all()
    assert release_status.with_release(queryset) is queryset


def test_the_statements_app_provides_the_engine_when_it_loads():
    from convene.statements import releases

    [engine] = release_status._engine
    assert engine.released_ids is releases.released_ids and engine.states is releases.states
    assert engine.with_release is releases.with_release
