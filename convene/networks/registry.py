"""The shared organisation registry, seeded from the sourced reference list of UN entities, and the
reference lists' translations (reference/translations/<language>.json)."""

import json
import sys

from django.apps import apps as global_apps
from django.conf import settings
from django.db import router

UN_ENTITIES_FILE = "un_entities.json"


def un_entities() -> list[dict]:
    with open(settings.CONVENE_REFERENCE_DIR / UN_ENTITIES_FILE, encoding="utf-8") as fh:
        return json.load(fh)


def reference_translations() -> dict[str, dict]:
    """{language: that language's file} for every shipped language that has one (not English,
    the reference files' own language)."""
    folder = settings.CONVENE_REFERENCE_DIR / "translations"
    files = {}
    for code, _name in settings.LANGUAGES:
        path = folder / f"{code}.json"
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                files[code] = json.load(fh)
    return files


def translations_of(section: str, key: str, fields: dict[str, str], files: dict[str, dict]) -> dict:
    """One entry's translations as a row stores them, {field: {language: text}}.

    `fields` maps the row's field to the file's (None: the entry itself is the text)."""
    texts: dict[str, dict[str, str]] = {}
    for code, data in files.items():
        entry = data.get(section, {}).get(key)
        for field, name in fields.items():
            text = entry if name is None else (entry or {}).get(name)
            if text:
                texts.setdefault(field, {})[code] = text
    return texts


def has_translations(model) -> bool:
    # The data migrations before the translations were added pass a historical model without them.
    return any(f.name == "translations" for f in model._meta.get_fields())


def refresh_row_translations(obj, texts: dict, using: str = "default") -> bool:
    """Store `texts` as the row's translations unless they already are; True if the row changed.

    Written with an UPDATE of that one column: nothing else of the row is touched (nor its
    `updated_at`), and a row already up to date is not written at all."""
    if (obj.translations or {}) == texts:
        return False
    type(obj)._default_manager.using(using).filter(pk=obj.pk).update(translations=texts)
    obj.translations = texts
    return True


def refresh_un_entity_translations(Organisation, files: dict | None = None, using: str = "default") -> int:
    """Bring the translated names of the UN entities already in the registry in line with
    reference/translations/; returns how many rows changed (0 when all already match).

    Only `translations` is refreshed: a name, kind or alias changed since (by a charter or a
    person) stays, and an entity missing from the registry is not added (the data migrations
    add them). Takes the model so a post_migrate handler can pass its historical one."""
    if not has_translations(Organisation):
        return 0
    files = reference_translations() if files is None else files
    changed = 0
    for entry in un_entities():
        org = (
            Organisation._default_manager.using(using)
            .filter(acronym__iexact=entry["acronym"], country="")
            .first()
        )
        if org is None:
            continue
        texts = translations_of("un_entities", entry["acronym"], {"name": None}, files)
        changed += refresh_row_translations(org, texts, using)
    return changed


def sync_un_entities(Organisation) -> int:
    """Add or refresh every UN entity of the reference list; returns how many were added.

    Takes the model as an argument so the data migration can pass its historical model.
    """
    files = reference_translations() if has_translations(Organisation) else None
    added = 0
    for entry in un_entities():
        values = {
            "name": entry["name"],
            "kind": "un",
            "un_category": entry["type"],
            "aliases": entry.get("aliases", []),
        }
        if files is not None:
            values["translations"] = translations_of("un_entities", entry["acronym"], {"name": None}, files)
        org = Organisation.objects.filter(acronym__iexact=entry["acronym"], country="").first()
        if org is None:
            Organisation.objects.create(acronym=entry["acronym"], country="", **values)
            added += 1
        else:
            for k, v in values.items():
                setattr(org, k, v)
            org.save()
    return added


def report_refresh(changed: int, what: str, verbosity: int, stdout=None) -> None:
    if changed and verbosity >= 1:
        (stdout or sys.stdout).write(
            f"  Refreshed the translations of {changed} {what} from reference/translations/\n"
        )


def refresh_after_migrate(sender, *, using="default", verbosity=1, apps=global_apps, stdout=None, **kwargs):
    """post_migrate handler of the networks app: after every `manage.py migrate` (so `make run`), the
    UN entities' translated names follow reference/translations/, in a database set up before the
    files changed too. Changes nothing when they already match."""
    try:
        Organisation = apps.get_model("networks", "Organisation")
    except LookupError:
        return
    if not router.allow_migrate_model(using, Organisation):
        return
    report_refresh(
        refresh_un_entity_translations(Organisation, using=using), "UN entities", verbosity, stdout
    )
