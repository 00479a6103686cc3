"""The GCM objectives, guiding principles and SDG targets, loaded from the sourced files in reference/
with their translations (reference/translations/<language>.json)."""

import json

from django.apps import apps as global_apps
from django.conf import settings
from django.db import router

from convene.networks.registry import (
    has_translations,
    reference_translations,
    refresh_row_translations,
    report_refresh,
    translations_of,
)

OBJECTIVE_FIELDS = {"title": "title", "short_label": "short_label"}
PRINCIPLE_FIELDS = {"name": "name", "summary": "summary"}


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
                **tr("gcm_objectives", str(o["number"]), OBJECTIVE_FIELDS),
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
                **tr("guiding_principles", p["key"], PRINCIPLE_FIELDS),
            },
        )
    sdgs = _load("sdgs.json")
    goals = {g["number"]: g["title"] for g in sdgs["goals"]}
    for t in sdgs["migration_targets"]:
        texts = {} if files is None else {"translations": _target_texts(t["target"], t["goal"], files)}
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


def _target_texts(code: str, goal: int, files: dict) -> dict:
    # A target's own text and its goal's title, both from the files.
    return translations_of("sdg_targets", code, {"text": None}, files) | translations_of(
        "sdg_goals", str(goal), {"goal_title": None}, files
    )


def refresh_reference_translations(
    GcmObjective, GuidingPrinciple, SdgTarget, files: dict | None = None, using: str = "default"
) -> int:
    """Bring the translations of the objectives, principles and SDG targets already in the
    database in line with reference/translations/; returns how many rows changed (0 when all
    already match). Only `translations` is written. Takes the models so a post_migrate handler
    can pass its historical ones."""
    if not has_translations(GcmObjective):
        return 0
    files = reference_translations() if files is None else files
    changed = 0
    for o in GcmObjective._default_manager.using(using).all():
        texts = translations_of("gcm_objectives", str(o.number), OBJECTIVE_FIELDS, files)
        changed += refresh_row_translations(o, texts, using)
    for p in GuidingPrinciple._default_manager.using(using).all():
        texts = translations_of("guiding_principles", p.key, PRINCIPLE_FIELDS, files)
        changed += refresh_row_translations(p, texts, using)
    for t in SdgTarget._default_manager.using(using).all():
        changed += refresh_row_translations(t, _target_texts(t.code, t.goal, files), using)
    return changed


def refresh_after_migrate(sender, *, using="default", verbosity=1, apps=global_apps, stdout=None, **kwargs):
    """post_migrate handler of the workplans app: after every `manage.py migrate` (so `make run`), the
    objectives', principles' and SDG targets' translations follow reference/translations/, in a
    database set up before the files changed too. Changes nothing when they already match."""
    try:
        models = [
            apps.get_model("workplans", name) for name in ("GcmObjective", "GuidingPrinciple", "SdgTarget")
        ]
    except LookupError:
        return
    if not all(router.allow_migrate_model(using, model) for model in models):
        return
    report_refresh(
        refresh_reference_translations(*models, using=using), "reference entries", verbosity, stdout
    )
