"""A corrected translation file reaches a database set up before it: every `manage.py migrate` (so
`make run`) refreshes the translations of the reference rows already there, and only those, and a
second run changes nothing."""

import io
import json
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from convene.networks.models import Organisation
from convene.networks.registry import refresh_un_entity_translations
from convene.workplans.models import GcmObjective, GuidingPrinciple, SdgTarget
from convene.workplans.reference import refresh_reference_translations

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = (GcmObjective, GuidingPrinciple, SdgTarget)


@pytest.fixture
def reference(settings, tmp_path):
    """A copy of reference/ that the test may edit, in use for the test's duration."""
    folder = tmp_path / "reference"
    shutil.copytree(settings.CONVENE_REFERENCE_DIR, folder)
    settings.CONVENE_REFERENCE_DIR = folder
    return folder


def edit(folder, language: str, change) -> None:
    path = folder / "translations" / f"{language}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def snapshot() -> dict:
    """Every reference row as stored (translations and timestamps included)."""
    rows = {
        model.__name__: sorted(map(repr, model.objects.values()))
        for model in (*REFERENCE_MODELS, Organisation)
    }
    return rows


def refresh() -> int:
    return refresh_reference_translations(*REFERENCE_MODELS) + refresh_un_entity_translations(Organisation)


def corrected_fr(data):
    data["gcm_objectives"]["16"]["title"] = "Un intitulé corrigé"
    data["guiding_principles"]["child_sensitive"]["name"] = "Un nom corrigé"
    data["sdg_goals"]["10"] = "Un objectif corrigé"
    data["un_entities"]["UNHCR"] = "Un nom d'entité corrigé"


def test_the_files_as_shipped_are_what_the_database_holds():
    # The data migrations loaded these very files: nothing to refresh.
    before = snapshot()
    assert refresh() == 0
    assert snapshot() == before


def test_migrate_brings_a_corrected_file_into_an_existing_database(reference):
    edit(reference, "fr", corrected_fr)
    out = io.StringIO()
    call_command("migrate", verbosity=1, stdout=out)

    assert GcmObjective.objects.get(number=16).translations["title"]["fr"] == "Un intitulé corrigé"
    assert GuidingPrinciple.objects.get(key="child_sensitive").translations["name"]["fr"] == "Un nom corrigé"
    for target in SdgTarget.objects.filter(goal=10):
        assert target.translations["goal_title"]["fr"] == "Un objectif corrigé"
    assert SdgTarget.objects.filter(goal=10).exists()
    assert Organisation.objects.get(acronym="UNHCR", country="").translations["name"]["fr"] == (
        "Un nom d'entité corrigé"
    )
    # The other languages and fields are as they were.
    assert (
        GcmObjective.objects.get(number=16).translations["title"]["es"]
        == json.loads((reference / "translations" / "es.json").read_text(encoding="utf-8"))["gcm_objectives"][
            "16"
        ]["title"]
    )
    assert "Refreshed the translations of 1 UN entities" in out.getvalue()


def test_refreshing_twice_changes_nothing_the_second_time(reference):
    edit(reference, "fr", corrected_fr)
    first = refresh()
    assert first == 3 + SdgTarget.objects.filter(goal=10).count()
    after_first = snapshot()

    assert refresh() == 0
    assert snapshot() == after_first
    call_command("migrate", verbosity=0)
    assert snapshot() == after_first


def test_only_the_translations_are_refreshed(reference):
    # A UN entity's name changed since (by a charter or a person) stays; a removed translation goes.
    unhcr = Organisation.objects.get(acronym="UNHCR", country="")
    Organisation.objects.filter(pk=unhcr.pk).update(name="UNHCR as renamed by a person", aliases=["HCR"])
    edit(reference, "ru", lambda data: data["un_entities"].pop("UNHCR"))

    assert refresh_un_entity_translations(Organisation) == 1
    unhcr.refresh_from_db()
    assert unhcr.name == "UNHCR as renamed by a person" and unhcr.aliases == ["HCR"]
    assert "ru" not in unhcr.translations["name"] and "fr" in unhcr.translations["name"]


def test_a_row_not_in_the_database_is_not_added(reference):
    # Adding rows is the data migrations' work; the refresh only follows the files for rows there.
    Organisation.objects.filter(acronym="UNHCR", country="").delete()
    edit(reference, "fr", corrected_fr)
    refresh()
    assert not Organisation.objects.filter(acronym="UNHCR", country="").exists()


def test_every_entry_called_convene_translation_exists_and_is_in_an_official_field():
    # `convene_translation` names entries of the fields `official` calls official UN wording.
    for code in ("fr", "es", "ru", "ar"):
        data = json.loads((settings.CONVENE_REFERENCE_DIR / "translations" / f"{code}.json").read_text())
        for name in data["convene_translation"]:
            section, _, rest = name.partition(".")
            if section in ("sdg_goals", "un_entities"):
                key, field = rest, None
            else:
                key, _, field = rest.rpartition(".")
            assert key in data[section], (code, name)
            assert (f"{section}.{field}" if field else section) in data["official"], (code, name)
            assert data["sources"].get(f"{section}.{field}" if field else section), (code, name)
        assert len(set(data["convene_translation"])) == len(data["convene_translation"]), code
