"""The translation catalogues in locale/: compiled by the set-up (never committed), pre-filled from
Django's and allauth's own catalogues, and checked complete by tests/test_catalogues.py.

    python -m convene.core.catalogues compile [PO…]  # .po -> .mo, what `make install` runs
    python -m convene.core.catalogues prefill        # empty entries that Django or allauth already translate
"""

import os
import pathlib
import re
import sys
import tempfile

import polib

ROOT = pathlib.Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
SITE = pathlib.Path(polib.__file__).parent
FRAMEWORK = ("django/conf/locale", "allauth/locale")


NAMED = re.compile(r"%\((\w+)\)[sdifr]")
BARE = re.compile(r"%[sdif]")
BRACE = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?([a-zA-Z]+)[^>]*>")


def _placeholders(text: str) -> tuple:
    return (
        sorted(set(NAMED.findall(text))),
        len(BARE.findall(text.replace("%%", ""))),
        sorted(BRACE.findall(text)),
        sorted(TAG.findall(text)),
    )


def problems(entry: polib.POEntry) -> list[str]:
    """What makes a translated entry wrong whatever the language: a placeholder, tag or closing line
    break lost or invented. A plural form may leave out the count ("one document", Arabic's dual)
    as long as some form keeps it."""
    if entry.msgid_plural:
        forms = [
            (entry.msgid if i == 0 else entry.msgid_plural, text) for i, text in entry.msgstr_plural.items()
        ]
    else:
        forms = [(entry.msgid, entry.msgstr)]
    found = []
    for source, text in forms:
        if not text.strip():
            found.append("empty")
            continue
        want, have = _placeholders(source), _placeholders(text)
        for kind, a, b in zip(
            ("named placeholders", "%s/%d", "{} placeholders", "HTML tags"), want, have, strict=True
        ):
            may_omit = entry.msgid_plural and kind in ("named placeholders", "%s/%d") and _fewer(b, a)
            if a != b and not may_omit:
                found.append(f"{kind}: {a} in the source, {b} in the translation")
        if source.endswith("\n") != text.endswith("\n"):
            found.append("the closing line break differs")
    if entry.msgid_plural and forms:
        wanted = _placeholders(entry.msgid_plural)[0]
        if wanted and not any(_placeholders(text)[0] == wanted for _source, text in forms):
            found.append(f"no plural form keeps {wanted}")
    return found


def _fewer(have, want) -> bool:
    return set(have) <= set(want) if isinstance(want, list) else have <= want


def catalogues() -> list[pathlib.Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def compile_catalogue(po_path: pathlib.Path) -> pathlib.Path:
    """Written beside the .po, atomically: two test runs starting together never read half a file."""
    mo_path = po_path.with_suffix(".mo")
    handle, tmp = tempfile.mkstemp(dir=po_path.parent, suffix=".tmp")
    os.close(handle)
    polib.pofile(str(po_path)).save_as_mofile(tmp)
    os.replace(tmp, mo_path)
    return mo_path


def prefill(po_path: pathlib.Path) -> int:
    """Fill each empty entry that Django or allauth translate for this language with their words."""
    language = po_path.parts[-3]
    known: dict[tuple, polib.POEntry] = {}
    for package in FRAMEWORK:
        path = SITE / package / language / "LC_MESSAGES" / "django.po"
        if path.exists():
            for entry in polib.pofile(str(path)):
                if entry.translated() and not entry.obsolete:
                    known.setdefault((entry.msgctxt, entry.msgid, entry.msgid_plural or None), entry)
    catalogue, filled = polib.pofile(str(po_path), wrapwidth=0), 0
    for entry in catalogue.untranslated_entries():
        source = known.get((entry.msgctxt, entry.msgid, entry.msgid_plural or None))
        if source is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = dict(source.msgstr_plural)
        else:
            entry.msgstr = source.msgstr
        filled += 1
    catalogue.save()
    return filled


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "compile":
        for po_path in [pathlib.Path(a) for a in argv[2:]] or catalogues():
            compile_catalogue(po_path)
        return 0
    if command == "prefill":
        for po_path in catalogues():
            print(f"{po_path.relative_to(ROOT)}: {prefill(po_path)} entries from Django and allauth")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
