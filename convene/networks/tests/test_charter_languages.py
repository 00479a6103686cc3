"""A charter's texts in several languages: loaded, shown in the reader's language (else the network's
default), exported back as written, refused with their line when a language is unknown or the
default one is missing; and the API's `<field>_localised` beside the stored field."""

from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from convene.core.models import ChangeLog
from convene.networks import charter, services
from convene.networks.models import Body, Network, Organisation

CHARTER = """\
network:
  slug: steppe
  name:
    ru: Сеть ООН по миграции в Степи
    kk: Даладағы БҰҰ көші-қон желісі
    en: UN Network on Migration in the Steppe
  country: KZ
  timezone: Asia/Almaty
  languages: [ru, kk, en]
  mission: Общая миссия, только по-русски.
bodies:
  - slug: network
    name:
      ru: Сеть
      kk: Желі
      en: The Network
    kind: plenary
    focus:
      ru: Координация
      en: Coordination
    memberships:
      - {organisation: IOM}
rules:
  - key: quarterly
    kind: meeting_frequency
    title:
      ru: Сеть собирается ежеквартально
      kk: Желі тоқсан сайын жиналады
      en: The Network meets every quarter
    text: Сеть проводит заседания ежеквартально.
    body: network
"""


def page(client, url, language):
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    return response.content.decode()


@pytest.fixture
def steppe(db, seat):
    network = charter.load(CHARTER).network
    return network, seat(network, "network", "IOM")


def test_a_mapping_is_stored_in_the_default_language_with_its_translations(steppe):
    network, _user = steppe
    assert network.language == "ru" and network.name == "Сеть ООН по миграции в Степи"
    body = network.bodies.get(slug="network")
    assert body.name == "Сеть" and body.translations["name"]["kk"] == "Желі"
    assert network.mission == "Общая миссия, только по-русски." and "mission" not in network.translations


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        (
            "ru",
            ["Сеть ООН по миграции в Степи", "Сеть собирается ежеквартально", "Координация"],
            ["The Network"],
        ),
        (
            "kk",
            ["Даладағы БҰҰ көші-қон желісі", "Желі тоқсан сайын жиналады", "Координация"],
            ["Coordination"],
        ),
        (
            "en",
            ["UN Network on Migration in the Steppe", "The Network meets every quarter", "Coordination"],
            [],
        ),
        # No French text: the network's default language, Russian.
        ("fr", ["Сеть ООН по миграции в Степи", "Сеть собирается ежеквартально", "Координация"], ["Steppe"]),
    ],
)
def test_the_network_home_shows_each_language_and_falls_back_to_the_default(
    client, steppe, language, shown, not_shown
):
    network, user = steppe
    client.force_login(user)
    html = page(client, reverse("networks:home", args=[network.slug]), language)
    for text in shown:
        assert text in html, text
    for text in not_shown:
        assert text not in html, text
    # Where no language has a translation, every language reads the stored text.
    assert "Общая миссия, только по-русски." in html


def test_a_body_page_reads_its_name_in_the_readers_language(client, steppe):
    network, user = steppe
    client.force_login(user)
    url = reverse("networks:body", args=[network.slug, "network"])
    assert "<h1>Желі</h1>" in page(client, url, "kk")
    assert "<h1>The Network</h1>" in page(client, url, "en")


def test_reloading_changes_nothing_and_a_changed_translation_is_audited(steppe):
    network, _user = steppe
    logged = ChangeLog.objects.count()
    assert (charter.load(CHARTER).created, charter.load(CHARTER).updated) == (0, 0)
    assert ChangeLog.objects.count() == logged
    result = charter.load(CHARTER.replace("kk: Желі\n", "kk: Желі (жаңа)\n"))
    assert result.updated == 1
    entry = ChangeLog.objects.latest("pk")
    assert entry.changes["translations"][1]["name"]["kk"] == "Желі (жаңа)"


def test_export_writes_the_mappings_back_and_round_trips(steppe):
    network, _user = steppe
    exported = charter.export(network)
    data = yaml.safe_load(exported)
    assert data["network"]["name"] == yaml.safe_load(CHARTER)["network"]["name"]
    assert list(data["network"]["name"]) == ["ru", "kk", "en"]  # the network's languages' order
    assert data["bodies"][0]["focus"] == {"ru": "Координация", "en": "Coordination"}
    assert data["rules"][0]["text"] == "Сеть проводит заседания ежеквартально."
    Network.objects.filter(pk=network.pk).delete()
    assert charter.export(charter.load(exported).network) == exported


@pytest.mark.parametrize("name", ["kenya", "kazakhstan"])
def test_the_seed_charters_carry_every_text_in_each_of_their_languages(load_charter, name):
    network = load_charter(name)
    rows = [network, *network.bodies.all(), *network.rules.all()]
    for row in rows:
        for field in row.TRANSLATED_FIELDS:
            if getattr(row, field) and field != "short_name" or field in row.translations:
                assert sorted(row.translations[field]) == sorted(network.languages), (row, field)


def test_kazakhstan_reads_russian_by_default_and_kazakh_in_kazakh(client, kazakhstan_secretariat, kazakhstan):
    client.force_login(kazakhstan_secretariat)
    url = reverse("networks:home", args=["kazakhstan"])
    assert "Сеть ООН по миграции в Казахстане" in page(client, url, "ru")
    kk = page(client, url, "kk")
    assert "Қазақстандағы БҰҰ-ның Көші-қон жөніндегі желісі" in kk
    assert "Әр мүше Желі отырыстарында өкілдік етеді" in kk
    assert "Each member is represented at the meetings of the Network" in page(client, url, "en")


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        ("      kk: Желі\n", 15, "'de' is not a language Convene ships"),
        ("      ru: Сеть\n", 14, "the text in the network's default language (ru) is required"),
    ],
)
def test_a_bad_mapping_is_refused_with_its_line_and_nothing_is_loaded(db, change, line, message):
    bad = CHARTER.replace(change, "      de: Netz\n" if "kk" in change else "")
    with pytest.raises(charter.CharterError) as refused:
        charter.load(bad)
    assert f"line {line}, bodies.0.name" in str(refused.value) and message in str(refused.value)
    assert not Network.objects.filter(slug="steppe").exists()


def test_a_mapping_without_the_default_language_of_a_charter_with_one_language_is_refused(db):
    bad = CHARTER.replace("  languages: [ru, kk, en]\n", "  language: en\n").replace(
        "      en: Coordination\n", ""
    )
    with pytest.raises(charter.CharterError) as refused:
        charter.parse(bad)
    assert "line 19, bodies.0.focus: the text in the network's default language (en) is required" in str(
        refused.value
    )


def test_renaming_a_working_group_shows_the_new_name_in_every_language(steppe):
    network, _user = steppe
    group = Body.objects.create(
        network=network,
        slug="wg",
        name="Рабочая группа",
        kind=Body.Kind.WORKING_GROUP,
        translations={"name": {"ru": "Рабочая группа", "kk": "Жұмыс тобы"}, "focus": {"kk": "Фокус"}},
    )
    services.update_working_group(by=None, body=group, name="Новая группа")
    group.refresh_from_db()
    assert group.translations == {"focus": {"kk": "Фокус"}}
    from django.utils import translation

    with translation.override("kk"):
        assert str(group) == "Новая группа"


def test_the_api_keeps_the_stored_text_and_adds_the_localised_one(client, steppe):
    network, user = steppe
    client.force_login(user)
    url = reverse("api:body-list", args=[network.slug])
    body = client.get(url, headers={"accept-language": "kk"}).json()["results"][0]
    assert (body["name"], body["name_localised"]) == ("Сеть", "Желі")
    assert (body["focus"], body["focus_localised"]) == ("Координация", "Координация")
    rules = client.get(reverse("api:rule-list", args=[network.slug]), headers={"accept-language": "en"})
    assert rules.headers["Content-Language"] == "en"
    rule = rules.json()["results"][0] if "results" in rules.json() else rules.json()[0]
    assert (rule["title"], rule["title_localised"]) == (
        "Сеть собирается ежеквартально",
        "The Network meets every quarter",
    )
    networks = client.get(reverse("api:network-list"), headers={"accept-language": "en"}).json()
    mine = next(n for n in networks.get("results", networks) if n["slug"] == "steppe")
    assert mine["name_localised"] == "UN Network on Migration in the Steppe"


def test_un_entities_have_translated_names_and_typed_names_stay_as_typed(client, steppe):
    network, user = steppe
    client.force_login(user)
    services.create_organisation(
        by=None, acronym="CSO1", name="Our own association", kind="cso", country="KZ"
    )
    listed = client.get(
        reverse("api:organisation-list") + "?limit=200", headers={"accept-language": "fr"}
    ).json()
    rows = {o["acronym"]: o for o in listed.get("results", listed)}
    assert rows["IOM"]["name"] == "International Organization for Migration"
    assert rows["IOM"]["name_localised"] == "Organisation internationale pour les migrations"
    assert rows["CSO1"]["name_localised"] == "Our own association"
    html = page(client, reverse("networks:organisations") + "?q=IOM", "ru")
    assert "Международная организация по миграции" in html


def test_every_un_entity_is_named_in_every_shipped_language(db):
    for org in Organisation.objects.filter(kind="un", country=""):
        assert sorted(org.translations["name"]) == ["ar", "es", "fr", "kk", "ru", "sw"], org.acronym


def test_charter_files_still_parse_as_they_are(db):
    for name in ("kenya", "kazakhstan"):
        assert charter.parse(Path(f"charters/{name}.yaml").read_text(encoding="utf-8"))
