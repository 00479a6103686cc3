"""The translation catalogues in locale/: compiled by the set-up (never committed), pre-filled from
Django's and allauth's own catalogues, and checked complete by tests/test_catalogues.py.

locale/<language>/LC_MESSAGES/django.po holds Convene's strings and the framework's it shows
(convene/core/framework_strings.py). djangojs.po, for a language whose Django catalogue lacks some of
the admin's JavaScript strings (calendar, clock, selection filter), holds all of them: Django's
JavaScriptCatalog reads LOCALE_PATHS before the admin's own catalogue.

    python -m convene.core.catalogues compile [PO…]  # .po -> .mo, what `make install` runs
    python -m convene.core.catalogues prefill        # empty entries that Django or allauth already translate
    python -m convene.core.catalogues javascript     # write djangojs.po where Django's admin lacks strings
"""

import gettext
import os
import pathlib
import re
import sys
import tempfile
from collections.abc import Callable

import polib

ROOT = pathlib.Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
SITE = pathlib.Path(polib.__file__).parent
# Where Django and allauth keep their catalogues: Django's own, its contrib apps' (admin, auth…), allauth's.
FRAMEWORK = ("django/conf/locale", "django/contrib/*/locale", "allauth/locale")
# The admin's JavaScript strings, with where each is used (the English catalogue is the extracted
# original). The admin's JavaScript catalogue (/admin/jsi18n/) reads the admin's and LOCALE_PATHS only.
ADMIN_LOCALE = "django/contrib/admin/locale"
ADMIN_JS = SITE / ADMIN_LOCALE / "en/LC_MESSAGES/djangojs.po"


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


def catalogues(domain: str = "django") -> list[pathlib.Path]:
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{domain}.po"))


def languages() -> list[str]:
    """The translated languages: those with a catalogue of Convene's strings."""
    return [po_path.parts[-3] for po_path in catalogues()]


Rule = tuple[int, Callable[[int], int]]
# Numbers that reach every plural form of the shipped languages (Spanish: a million; Arabic: 0…99).
SAMPLES = (*range(200), 1_000_000, 2_000_000)


def plural_rule(po: polib.POFile) -> Rule:
    header = po.metadata.get("Plural-Forms", "nplurals=2; plural=(n != 1);")
    count = re.search(r"nplurals\s*=\s*(\d+)", header)
    expression = re.search(r"plural\s*=\s*([^;]+)", header)
    return int(count[1]), gettext.c2py(expression[1].strip())


def plural_forms(forms: dict[int, str], rule: Rule, target: Rule) -> dict[int, str]:
    """A translation's plural forms, written for `rule`, as the catalogue of rule `target` numbers
    them: each of its forms takes the one the translation used for the same numbers (Django's
    Spanish admin has two forms, Convene's Spanish three). Empty when a form is missing."""
    (count, index), (target_count, target_index) = rule, target
    out = {}
    for form in range(target_count):
        n = next((n for n in SAMPLES if target_index(n) == form), None)
        # A form no whole number takes (Russian's fractions): the same form of the same rule.
        text = forms.get(index(n) if n is not None else form if count == target_count else -1, "")
        if not text.strip():
            return {}
        out[form] = text
    return out


def framework_translations(
    language: str, domain: str = "django", packages: tuple[str, ...] = FRAMEWORK
) -> dict[tuple, tuple[polib.POEntry, Rule]]:
    """What Django (its own catalogue first, then its contrib apps') and allauth translate into
    `language`, with the plural rule of the catalogue each translation comes from."""
    known: dict[tuple, tuple[polib.POEntry, Rule]] = {}
    for package in packages:
        for path in sorted(SITE.glob(f"{package}/{language}/LC_MESSAGES/{domain}.po")):
            po = polib.pofile(str(path))
            rule = plural_rule(po)
            for entry in po:
                if entry.translated() and not entry.obsolete:
                    known.setdefault((entry.msgctxt, entry.msgid, entry.msgid_plural or None), (entry, rule))
    return known


def fill(entry: polib.POEntry, known: dict[tuple, tuple[polib.POEntry, Rule]], target: Rule) -> bool:
    """Give an empty entry the framework's translation, if there is one that fits."""
    found = known.get((entry.msgctxt, entry.msgid, entry.msgid_plural or None))
    if found is None:
        return False
    source, rule = found
    if entry.msgid_plural:
        forms = plural_forms(source.msgstr_plural, rule, target)
        if not forms:
            return False
        entry.msgstr_plural = forms
    else:
        entry.msgstr = source.msgstr
    return True


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
    catalogue = polib.pofile(str(po_path), wrapwidth=0)
    known, target = framework_translations(po_path.parts[-3]), plural_rule(catalogue)
    filled = sum(fill(entry, known, target) for entry in catalogue.untranslated_entries())
    catalogue.save()
    return filled


def javascript(language: str) -> pathlib.Path | None:
    """Write locale/<language>/LC_MESSAGES/djangojs.po with every JavaScript string of the admin, if
    Django's catalogue for the language lacks one (or Convene already keeps one): Convene's
    translations kept, Django's taken where Convene has none, the rest left empty to translate."""
    po_path = LOCALE / language / "LC_MESSAGES" / "djangojs.po"
    known = framework_translations(language, "djangojs", (ADMIN_LOCALE,))
    strings = [e for e in polib.pofile(str(ADMIN_JS)) if not e.obsolete]
    if not po_path.exists() and all((e.msgctxt, e.msgid, e.msgid_plural or None) in known for e in strings):
        return None
    ours = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    kept = {}
    if po_path.exists():
        kept = {(e.msgctxt, e.msgid, e.msgid_plural or None): e for e in polib.pofile(str(po_path))}
    out = polib.POFile(wrapwidth=0)
    out.header = (
        "The JavaScript strings of Django's admin (django/contrib/admin/locale/en/LC_MESSAGES/djangojs.po).\n"
        "Written by `python -m convene.core.catalogues javascript` (`make messages`): translate the rest."
    )
    out.metadata = {
        "Project-Id-Version": "Convene",
        "Language-Team": ours.metadata.get("Language-Team", ""),
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": ours.metadata["Plural-Forms"],
    }
    target = plural_rule(out)
    for string in strings:
        entry = polib.POEntry(
            msgctxt=string.msgctxt,
            msgid=string.msgid,
            msgid_plural=string.msgid_plural,
            occurrences=sorted({(path, "") for path, _line in string.occurrences}),
            flags=[f for f in string.flags if f.endswith("-format")],
        )
        if string.msgid_plural:
            entry.msgstr_plural = {form: "" for form in range(target[0])}
        previous = kept.get((string.msgctxt, string.msgid, string.msgid_plural or None))
        if previous is not None and previous.translated():
            entry.msgstr, entry.msgstr_plural = previous.msgstr, dict(previous.msgstr_plural)
        else:
            fill(entry, known, target)
        out.append(entry)
    out.save(str(po_path))
    return po_path


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "compile":
        for po_path in [pathlib.Path(a) for a in argv[2:]] or catalogues() + catalogues("djangojs"):
            compile_catalogue(po_path)
        return 0
    if command == "prefill":
        for po_path in catalogues():
            print(f"{po_path.relative_to(ROOT)}: {prefill(po_path)} entries from Django and allauth")
        return 0
    if command == "javascript":
        for language in languages():
            if po_path := javascript(language):
                po = polib.pofile(str(po_path))
                print(f"{po_path.relative_to(ROOT)}: {len(po.untranslated_entries())} entries to translate")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
