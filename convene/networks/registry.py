"""The shared organisation registry, seeded from the sourced reference list of UN entities."""

import json

from django.conf import settings

UN_ENTITIES_FILE = "un_entities.json"


def un_entities() -> list[dict]:
    with open(settings.CONVENE_REFERENCE_DIR / UN_ENTITIES_FILE, encoding="utf-8") as fh:
        return json.load(fh)


def sync_un_entities(Organisation) -> int:
    """Add or refresh every UN entity of the reference list; returns how many were added.

    Takes the model as an argument so the data migration can pass its historical model.
    """
    added = 0
    for entry in un_entities():
        values = {
            "name": entry["name"],
            "kind": "un",
            "un_category": entry["type"],
            "aliases": entry.get("aliases", []),
        }
        org = Organisation.objects.filter(acronym__iexact=entry["acronym"], country="").first()
        if org is None:
            Organisation.objects.create(acronym=entry["acronym"], country="", **values)
            added += 1
        else:
            for k, v in values.items():
                setattr(org, k, v)
            org.save()
    return added
