"""The shared organisation registry, seeded from the sourced reference list of UN entities, and the
reference lists' translations (reference/translations/<language>.json)."""

import json

from django.conf import settings

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
