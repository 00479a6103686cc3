"""The GCM objectives, guiding principles and SDG targets, loaded from the sourced files in reference/."""

import json

from django.conf import settings


def _load(name: str):
    with open(settings.CONVENE_REFERENCE_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


def sync_reference(GcmObjective, GuidingPrinciple, SdgTarget) -> None:
    """Add or refresh every entry; takes the models so a data migration can pass its historical ones."""
    for o in _load("gcm_objectives.json"):
        GcmObjective.objects.update_or_create(
            number=o["number"],
            defaults={"code": o["code"], "title": o["title"], "short_label": o["short_label"]},
        )
    for p in _load("gcm_guiding_principles.json"):
        GuidingPrinciple.objects.update_or_create(
            key=p["key"],
            defaults={
                "order": p["order"],
                "paragraph": p["paragraph"],
                "name": p["name"],
                "summary": p["summary"],
            },
        )
    sdgs = _load("sdgs.json")
    goals = {g["number"]: g["title"] for g in sdgs["goals"]}
    for t in sdgs["migration_targets"]:
        SdgTarget.objects.update_or_create(
            code=t["target"],
            defaults={
                "goal": t["goal"],
                "goal_title": goals[t["goal"]],
                "text": t["text_short"],
                "relation": t["relation"],
            },
        )
