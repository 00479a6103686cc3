"""The reference lists in every shipped language: an activity's GCM objectives, principles and SDG
targets read in the page's language, with the note that kk and sw are Convene's own wording; the
Excel template and the report in the reader's language too."""

import html
import io
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from convene.core.translation import unofficial_note
from convene.workplans import services
from convene.workplans.models import GcmObjective, GuidingPrinciple, SdgTarget

pytestmark = pytest.mark.clock

TITLE_6 = {
    "en": "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work",
    "fr": (
        "Favoriser des pratiques de recrutement justes et éthiques et assurer les conditions "
        "d'un travail décent"
    ),
    "kk": "Әділ әрі әдепті жалдауға жәрдемдесу және лайықты еңбекті қамтамасыз ететін жағдайларды сақтау",
    "ru": "Содействие справедливому и этичному найму и гарантирование условий, обеспечивающих достойный труд",
}


@pytest.fixture
def activity(workplan, kenya_secretariat, activity_values):
    return services.add_activity(
        by=kenya_secretariat,
        workplan=workplan,
        **activity_values(guiding_principles=list(GuidingPrinciple.objects.filter(key="human_rights"))),
    )


def get(client, url, language):
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200 and response.headers["Content-Language"] == language
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "ru", "kk"])
def test_the_activity_page_shows_the_objective_in_the_readers_language(
    client, kenya_secretariat, activity, language
):
    client.force_login(kenya_secretariat)
    page = get(client, reverse("workplans:activity", args=["kenya", activity.pk]), language).replace(
        "&#x27;", "'"
    )
    assert f"6. {TITLE_6[language]}" in page
    others = [title for code, title in TITLE_6.items() if code != language]
    assert not any(title in page for title in others)


def test_in_kazakh_the_page_says_the_names_are_not_official_un_wording(client, kenya_secretariat, activity):
    client.force_login(kenya_secretariat)
    url = reverse("workplans:activity", args=["kenya", activity.pk])
    kk = get(client, url, "kk")
    assert "Адам құқықтары" in kk  # the guiding principle
    with translation.override("kk"):
        assert unofficial_note() in html.unescape(kk)
    assert 'class="unofficial' in get(client, url, "sw")
    for official in ("en", "fr", "ru", "ar"):
        assert 'class="unofficial' not in get(client, url, official)


def test_the_workplan_table_titles_each_objective_in_the_readers_language(
    client, kenya_secretariat, workplan, activity
):
    client.force_login(kenya_secretariat)
    page = get(client, reverse("workplans:detail", args=["kenya", workplan.pk]), "fr").replace("&#x27;", "'")
    assert f'title="{TITLE_6["fr"]}"' in page


def test_the_coverage_chart_labels_objectives_in_the_readers_language(
    client, kenya_secretariat, workplan, activity
):
    client.force_login(kenya_secretariat)
    page = get(client, reverse("workplans:charts", args=["kenya", workplan.pk]), "es")
    assert "6. Contratación y trabajo decente" in page


def test_the_excel_template_lists_the_values_in_the_readers_language_with_the_note(client, kenya_secretariat):
    client.force_login(kenya_secretariat)
    response = client.get(reverse("workplans:template", args=["kenya"]), headers={"accept-language": "kk"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[1]
    cells = {c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    assert TITLE_6["kk"] in cells
    assert SdgTarget.objects.get(code="10.7").translations["text"]["kk"] in cells
    with translation.override("kk"):
        note = unofficial_note()
    assert note and note in cells


def test_every_reference_entry_is_in_every_shipped_language(db):
    languages = sorted(code for code, _name in settings.LANGUAGES if code != "en")
    for o in GcmObjective.objects.all():
        assert sorted(o.translations["title"]) == sorted(o.translations["short_label"]) == languages, o
    for p in GuidingPrinciple.objects.all():
        assert sorted(p.translations["name"]) == sorted(p.translations["summary"]) == languages, p
    for t in SdgTarget.objects.all():
        assert sorted(t.translations["text"]) == sorted(t.translations["goal_title"]) == languages, t
    assert GcmObjective.objects.count() == 23 and GuidingPrinciple.objects.count() == 10


def test_the_translation_files_say_which_wording_is_official(db):
    for code in ("kk", "sw"):
        data = json.loads((settings.CONVENE_REFERENCE_DIR / "translations" / f"{code}.json").read_text())
        assert data["official"] == [] and data["convene_translation"] == "all"
    fr = json.loads((settings.CONVENE_REFERENCE_DIR / "translations" / "fr.json").read_text())
    assert "gcm_objectives.title" in fr["official"]
    assert "gcm_objectives.short_label" not in fr["official"]  # the Hub's labels: Convene's
