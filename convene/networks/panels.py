"""Sections that later capabilities add to the network home (upcoming meetings, open actions…).

A panel is a function (request, network, structure) -> {"template": …, …} or None; the home page
includes each template with the returned context. The networks app needs no import of theirs.
"""

from collections.abc import Callable

Panel = Callable[..., dict | None]
PANELS: list[Panel] = []


def panel(fn: Panel) -> Panel:
    PANELS.append(fn)
    return fn


def render_panels(request, network, structure) -> list[dict]:
    return [p for p in (fn(request, network, structure) for fn in PANELS) if p]
