"""Texts a row holds in several languages: the charter's prose and the reference lists' names.

A model lists its translatable fields in `TRANSLATED_FIELDS` and keeps the other languages in a
`translations` JSONField shaped {field: {language: text}}; the field itself holds the stored text
(the charter's default language, or the reference list's English). Reading is one way everywhere,
with no query: `obj.tr.name` in Python and `{{ obj.tr.name }}` in templates give the text in the
active language, else in the row's fallback language (a network's default), else the stored text.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Shipped languages that are not official UN languages: the names of the GCM objectives, guiding
# principles, SDGs and UN entities in them are Convene's own translation, and every page says so.
UNOFFICIAL_LANGUAGES = ("kk", "sw")
UNOFFICIAL_NOTE = _(
    "The names of the GCM objectives and guiding principles, the SDGs and the UN entities shown in "
    "this language are Convene's own translation, not official UN wording."
)


def active_language() -> str:
    """The shipped language in use (the request's): one answer for pages, documents and notes."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return translation.get_supported_language_variant(code).split("-")[0]


def unofficial_note() -> str:
    """The note a page, export or document in a language without official UN wording carries."""
    return str(UNOFFICIAL_NOTE) if active_language() in UNOFFICIAL_LANGUAGES else ""


class Translated:
    """Mixin for a model with a `translations` JSONField and a `TRANSLATED_FIELDS` tuple."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    def fallback_language(self) -> str | None:
        """The language tried after the active one; None goes straight to the stored text."""
        return None

    def localised(self, field: str, language: str | None = None) -> str:
        texts = (self.translations or {}).get(field) or {}
        for code in (language or active_language(), self.fallback_language()):
            if code and texts.get(code):
                return texts[code]
        return getattr(self, field)

    @property
    def tr(self) -> "Texts":
        return Texts(self)


class Texts:
    """`obj.tr.<field>`: the field in the active language, read when it is asked for (so one object
    rendered in several languages, e.g. an e-mail per recipient, reads each language)."""

    __slots__ = ("_obj",)

    def __init__(self, obj: Translated):
        self._obj = obj

    def __getattr__(self, field: str) -> str:
        if field not in type(self._obj).TRANSLATED_FIELDS:
            raise AttributeError(field)
        return self._obj.localised(field)


def split_texts(value, default_language: str) -> tuple[str, dict[str, str]]:
    """A charter text, a string or a {language: text} mapping, as (stored text, translations).

    The stored text is the default language's; a plain string has no translations."""
    if isinstance(value, dict):
        texts = {code: (text or "").strip() for code, text in value.items()}
        return texts.get(default_language, ""), texts
    return (value or "").strip(), {}
