"""Fragments of pages are rendered once and kept until their network (or the shared registry)
changes, per language and per what else their key names; a change committed while one renders is
never hidden behind it."""

from django.utils import translation

from convene.core import fragments
from convene.core.audit import record_change
from convene.core.models import ChangeLog


class Renders:
    """A fragment's render function that counts its calls and returns what it is told."""

    def __init__(self, html="<p>v1</p>"):
        self.html, self.calls = html, 0

    def __call__(self):
        self.calls += 1
        return self.html


def audit(obj, network_id):
    record_change(
        actor=None, obj=obj, action=ChangeLog.Action.UPDATE, network_id=network_id, changes={"x": [1, 2]}
    )


def test_a_fragment_is_rendered_once_until_its_network_or_the_registry_changes(kenya, kazakhstan):
    render = Renders()
    assert fragments.cached(kenya, "t", render) == "<p>v1</p>"
    assert fragments.cached(kenya, "t", render) == "<p>v1</p>" and render.calls == 1
    audit(kazakhstan, kazakhstan.pk)  # another network's change: Kenya's fragment stays
    fragments.cached(kenya, "t", render)
    assert render.calls == 1
    audit(kenya, kenya.pk)
    render.html = "<p>v2</p>"
    assert fragments.cached(kenya, "t", render) == "<p>v2</p>" and render.calls == 2
    audit(kenya, None)  # the shared registry (an organisation renamed): every network's fragments
    render.html = "<p>v3</p>"
    assert fragments.cached(kenya, "t", render) == "<p>v3</p>" and render.calls == 3


def test_a_fragment_is_kept_apart_per_network_language_and_part(kenya, kazakhstan):
    render = Renders()
    for network in (kenya, kazakhstan):
        for part in (1, 2):
            fragments.cached(network, "t", render, part)
            with translation.override("fr"):
                fragments.cached(network, "t", render, part)
    assert render.calls == 8
    fragments.cached(kazakhstan, "t", render, 2)
    assert render.calls == 8


def test_a_change_committed_while_a_fragment_renders_is_shown_at_the_next_request(kenya):
    """The counter is read before the data: the fragment rendered from the data before the change
    is kept under the counter before it, so the next request renders afresh."""

    def render_then_someone_changes_the_network():
        html = "<p>before the change</p>"
        audit(kenya, kenya.pk)
        return html

    assert fragments.cached(kenya, "t", render_then_someone_changes_the_network) == "<p>before the change</p>"
    assert fragments.cached(kenya, "t", Renders("<p>after the change</p>")) == "<p>after the change</p>"
