"""Every shipped language is complete: each catalogue translates every string of the source, keeps
its placeholders, and the key pages, the admin site and its JavaScript show no English a catalogue
translates."""

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from convene.core.catalogues import ADMIN_JS, ADMIN_LOCALE, framework_translations, problems

ROOT = Path(settings.BASE_DIR)
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# The admin's JavaScript strings, in the languages whose Django catalogue lacks some of them.
JAVASCRIPT = sorted(path.parts[-3] for path in (ROOT / "locale").glob("*/LC_MESSAGES/djangojs.po"))


def catalogue(language: str, domain: str = "django") -> polib.POFile:
    path = ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
    assert path.exists(), f"{language} is shipped without a catalogue: run `make messages` and translate it"
    return polib.pofile(str(path))


def key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


@pytest.mark.parametrize(
    ("domain", "language"),
    [("django", language) for language in TRANSLATED] + [("djangojs", language) for language in JAVASCRIPT],
)
def test_every_string_is_translated_with_its_placeholders(domain, language):
    po = catalogue(language, domain)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    wrong = {e.msgid: p for e in po.translated_entries() if (p := problems(e))}
    assert not wrong, f"{language}: {len(wrong)} entries break their placeholders: {list(wrong.items())[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_javascript_string_of_the_admin_is_translated(language):
    """The admin's calendar, clock and selection filter: Django's catalogue for the language, with
    Convene's djangojs.po where Django's lacks strings (`make messages` writes it), translate them all."""
    strings = {key(e) for e in polib.pofile(str(ADMIN_JS)) if not e.obsolete}
    translated = set(framework_translations(language, "djangojs", (ADMIN_LOCALE,)))
    if language in JAVASCRIPT:
        ours = catalogue(language, "djangojs")
        translated |= {key(e) for e in ours.translated_entries()}
        stale = {key(e) for e in ours} - strings
        assert not stale, f"{language}: no longer in the admin (run `make messages`): {sorted(stale)[:5]}"
        # JavaScriptCatalog takes the plural rule from Convene's catalogue, read first.
        assert ours.metadata["Plural-Forms"] == catalogue(language).metadata["Plural-Forms"]
    missing = sorted(strings - translated, key=str)
    assert not missing, f"{language}: the admin's JavaScript shows these in English: {missing[:5]}"


def test_the_catalogues_hold_every_string_of_the_source(tmp_path):
    """Extract the strings again (in a copy of the project, so nothing here changes): a string
    added to the code without `make messages` and its translations fails here."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", "node_modules", ".git", "*.mo", "__pycache__"),
    )
    language = TRANSLATED[0]
    subprocess.run(
        [sys.executable, "manage.py", "messages", "-l", language, "-v", "0"],
        cwd=copy,
        check=True,
        timeout=300,
    )
    extracted = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
    }
    shipped = {(e.msgctxt, e.msgid) for e in catalogue(language)}
    assert not extracted - shipped, (
        f"not in the catalogues (run `make messages`): {sorted(extracted - shipped)[:10]}"
    )
    assert not shipped - extracted, (
        f"no longer in the source (run `make messages`): {sorted(shipped - extracted)[:10]}"
    )


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the attributes read aloud or shown."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre", "textarea"):
            self._hidden += 1
        self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre", "textarea"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_a_catalogue_translates(language: str) -> list[str]:
    """Sentences of three words or more without placeholders, translated to something else."""
    out = []
    for e in catalogue(language).translated_entries():
        text = " ".join(e.msgid.split())
        if e.msgid_plural or e.msgstr == e.msgid or re.search(r"%|\{|<", text) or len(text.split()) < 3:
            continue
        out.append(text)
    return out


@pytest.fixture
def key_pages(kenya, kenya_secretariat):
    import datetime

    from django.utils import timezone

    from convene.decisions import services as decisions
    from convene.meetings import services as meetings
    from convene.reports import services as reports
    from convene.workplans import services as workplans

    plenary = kenya.bodies.get(slug="network")
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
    meeting = meetings.schedule_meeting(
        by=kenya_secretariat,
        body=plenary,
        title="Q1",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    proposal = decisions.propose(
        by=kenya_secretariat,
        network=kenya,
        body=kenya.bodies.get(decision_method="consensus"),
        title="Note",
        text="Text.",
        meeting=meeting,
    )
    workplan = workplans.create_workplan(by=kenya_secretariat, network=kenya, year=2027)
    report = reports.create_report(
        by=kenya_secretariat, network=kenya, audience="unct", period="year", year=2026
    )
    n = ["kenya"]
    return [
        reverse("networks:home", args=n),
        reverse("networks:members", args=n),
        reverse("networks:body", args=[*n, "executive-committee"]),
        reverse("meetings:list", args=n),
        reverse("meetings:detail", args=[*n, meeting.pk]),
        reverse("decisions:proposals", args=n),
        reverse("decisions:proposal", args=[*n, proposal.pk]),
        reverse("decisions:register", args=n),
        reverse("decisions:actions", args=n),
        reverse("decisions:monitoring", args=n),
        reverse("workplans:list", args=n),
        reverse("workplans:detail", args=[*n, workplan.pk]),
        reverse("workplans:charts", args=[*n, workplan.pk]),
        reverse("reports:list", args=n),
        reverse("reports:detail", args=[*n, report.pk]),
        reverse("accounts:settings"),
    ]


def records_of(network) -> list[str]:
    """What people and charters wrote (names of bodies, rules' titles…): shown as written, whatever
    the language of the page, so taken out of the page before looking for English."""
    from convene.networks.models import Organisation
    from convene.reports.models import Report

    texts = [network.name, network.short_name, network.mission]
    texts += list(Report.objects.filter(network=network).values_list("title", flat=True))
    for body in network.bodies.all():
        texts += [body.name, body.focus, body.mandate]
    for rule in network.rules.all():
        texts += [rule.title, rule.text]
    texts += list(Organisation.objects.values_list("name", flat=True))
    return sorted({" ".join(t.split()) for t in texts if t}, key=len, reverse=True)


@pytest.mark.parametrize("language", TRANSLATED)
def test_key_pages_show_no_english_their_language_translates(
    client, key_pages, kenya, kenya_secretariat, language
):
    english = english_a_catalogue_translates(language)
    records = records_of(kenya)
    kenya_secretariat.language = language
    kenya_secretariat.save(update_fields=["language"])
    client.force_login(kenya_secretariat)
    found = {}
    for path in key_pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        for record in records:
            text = text.replace(record, " ")
        if left := [s for s in english if s in text]:
            found[path] = left
    client.logout()
    text = visible_text(client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=language).content.decode())
    if left := [s for s in english if s in text]:
        found["sign-in"] = left
    assert not found, f"{language}: English left on the pages: {found}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_admin_shows_no_english_its_language_translates(client, kenya, language):
    """A superuser who reads the language: the admin's sign-in, index, a list, a change form, a
    history, their own user form and password change, and its JavaScript catalogue."""
    from convene.accounts.models import User

    english = english_a_catalogue_translates(language)
    superuser = User.objects.create_superuser(
        "ada@example.org", "a long passphrase 42", full_name="Ada Admin", language=language
    )
    records = [*records_of(kenya), superuser.full_name, superuser.email]
    found = {}
    login = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE=language)
    if left := [s for s in english if s in visible_text(login.content.decode())]:
        found["sign-in"] = left
    client.force_login(superuser)
    pages = [
        reverse("admin:index"),
        reverse("admin:networks_network_changelist"),
        reverse("admin:networks_network_change", args=[kenya.pk]),
        reverse("admin:networks_network_history", args=[kenya.pk]),
        reverse("admin:accounts_user_change", args=[superuser.pk]),
        reverse("admin:password_change"),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Language"] == language, path
        text = visible_text(response.content.decode())
        for record in records:
            text = text.replace(record, " ")
        if left := [s for s in english if s in text]:
            found[path] = left
    assert not found, f"{language}: English left in the admin: {found}"

    script = client.get(reverse("admin:jsi18n")).content.decode()
    shown = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.DOTALL)[1])
    strings = [e for e in polib.pofile(str(ADMIN_JS)) if not e.obsolete]
    ids = [f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid for e in strings]
    missing = [msgid for msgid in ids if msgid not in shown]
    assert not missing, f"{language}: the admin's JavaScript shows these in English: {missing[:5]}"
    untranslated = [msgid for msgid in ids if shown[msgid] == msgid and len(msgid.split()) >= 3]
    assert not untranslated, f"{language}: the admin's JavaScript shows these in English: {untranslated[:5]}"
