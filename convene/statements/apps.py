from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "convene.statements"
    label = "statements"

    def ready(self):
        from convene.core import release_status

        # The hourly jobs (rounds closed at their deadline, reminders before it) and the evaluator
        # of the charter's regular briefings.
        from . import monitoring, panels, releases, reminders  # noqa: F401

        # The apps below ask whether a record is public, and what its page says of its release.
        release_status.provide(
            released_ids=releases.released_ids, states=releases.states, with_release=releases.with_release
        )
