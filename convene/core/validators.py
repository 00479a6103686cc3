"""One rule for the text a person types on one line (a title, a name, a place): no line breaks, tabs
or other control characters. A CR/LF in a meeting title once broke every e-mail of that meeting."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Unicode's own line and paragraph separators, besides the C0 and C1 controls (category Cc).
_SEPARATORS = {"\u2028", "\u2029", "\u0085"}


def control_characters(value: str) -> list[str]:
    """The control characters in `value`, as U+XXXX, in order of appearance, each once."""
    found = []
    for char in value:
        if (unicodedata.category(char) == "Cc" or char in _SEPARATORS) and char not in found:
            found.append(char)
    return [f"U+{ord(c):04X}" for c in found]


def single_line(value) -> None:
    """Refuse line breaks, tabs and other control characters in single-line text."""
    if isinstance(value, str) and (found := control_characters(value)):
        raise ValidationError(
            _("Keep this on one line: remove the line breaks, tabs or control characters (%(chars)s)."),
            code="single_line",
            params={"chars": ", ".join(found)},
        )


def single_line_fields(model) -> list[models.Field]:
    """The fields of `model` that hold single-line text a person may type: every CharField (and its
    e-mail, slug and URL kinds) without fixed choices; a TextField keeps its line breaks."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField) and not f.choices and not f.primary_key
    ]


def check_single_line(instance, *, only=None) -> None:
    """Refuse to save `instance` with a control character in a single-line field (of those named in
    `only`, when given); the error names the field and is keyed by it, for the form or the API to
    show it there."""
    errors = {}
    for field in single_line_fields(type(instance)):
        if only is not None and field.name not in only and field.attname not in only:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and (found := control_characters(value)):
            errors[field.name] = ValidationError(
                _(
                    "%(field)s: keep it on one line; remove the line breaks, tabs or control "
                    "characters (%(chars)s)."
                ),
                code="single_line",
                params={"field": str(field.verbose_name).capitalize(), "chars": ", ".join(found)},
            )
    if errors:
        raise ValidationError(errors)


def refuse_control_characters(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save: whatever the way in (page, API, admin, charter import, a shell), single-line text
    with a control character is not saved. Rows loaded as they are (fixtures) pass."""
    if not raw:
        check_single_line(instance, only=update_fields)
