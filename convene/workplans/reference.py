"""The GCM objectives, guiding principles and SDG targets, loaded from the sourced files in reference/
with their translations (reference/translations/<language>.json)."""

import json

from django.conf import settings

from convene.networks.registry import has_translations, reference_translations, translations_of


def _load(name: str):
    with open(settings.CONVENE_REFERENCE_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


def sync_reference(GcmObjective, GuidingPrinciple, SdgTarget) -> None:
    """Add or refresh every entry; takes the models so a data migration can pass its historical ones."""
    files = reference_translations() if has_translations(GcmObjective) else None

    def tr(section, key, fields) -> dict:
        return {} if files is None else {"translations": translations_of(section, key, fields, files)}

    for o in _load("gcm_objectives.json"):
        GcmObjective.objects.update_or_create(
            number=o["number"],
            defaults={
                "code": o["code"],
                "title": o["title"],
                "short_label": o["short_label"],
                **tr("gcm_objectives", str(o["number"]), {"title": "title", "short_label": "short_label"}),
            },
        )
    for p in _load("gcm_guiding_principles.json"):
        GuidingPrinciple.objects.update_or_create(
            key=p["key"],
            defaults={
                "order": p["order"],
                "paragraph": p["paragraph"],
                "name": p["name"],
                "summary": p["summary"],
                **tr("guiding_principles", p["key"], {"name": "name", "summary": "summary"}),
            },
        )
    sdgs = _load("sdgs.json")
    goals = {g["number"]: g["title"] for g in sdgs["goals"]}
    for t in sdgs["migration_targets"]:
        texts = tr("sdg_targets", t["target"], {"text": None})
        if files is not None:
            goal = translations_of("sdg_goals", str(t["goal"]), {"goal_title": None}, files)
            texts["translations"] |= goal
        SdgTarget.objects.update_or_create(
            code=t["target"],
            defaults={
                "goal": t["goal"],
                "goal_title": goals[t["goal"]],
                "text": t["text_short"],
                "relation": t["relation"],
                **texts,
            },
        )
