"""SQLite's LIKE folds the case of ASCII letters only: «министерство» would not find «Министерство».
Django's case-insensitive lookups (icontains, iexact, istartswith…) compile to LIKE on SQLite, so
each connection gets a LIKE that folds every alphabet, as PostgreSQL's UPPER(…) LIKE UPPER(…) does."""

import functools
import re


@functools.lru_cache(maxsize=512)
def _pattern(pattern: str, escape: str | None) -> re.Pattern:
    parts, chars = [], iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def like(pattern, value, escape=None):
    """SQL `value LIKE pattern [ESCAPE escape]` (SQLite passes the pattern first)."""
    if pattern is None or value is None:
        return None
    return _pattern(pattern, escape).fullmatch(str(value)) is not None


def install(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, like, deterministic=True)
        connection.connection.create_function("like", 3, like, deterministic=True)
