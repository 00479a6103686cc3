"""The language switcher: the network's own languages first, then every other shipped one."""

from django import template
from django.conf import settings

from convene.core.translation import unofficial_note

register = template.Library()


@register.simple_tag
def language_choices(network=None) -> list[tuple[str, str]]:
    shipped = dict(settings.LANGUAGES)
    own = [code for code in (getattr(network, "languages", None) or []) if code in shipped]
    return [(code, shipped[code]) for code in own] + [(c, n) for c, n in settings.LANGUAGES if c not in own]


@register.simple_tag
def unofficial_wording() -> str:
    """In a language without official UN wording (kk, sw), the note that says so; else ''."""
    return unofficial_note()
