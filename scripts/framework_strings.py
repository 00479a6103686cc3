"""Write convene/core/framework_strings.py: the strings of Django and django-allauth that Convene's
pages show (forms, validation, dates, sign-in, password reset, two-factor sign-in) and the admin site
shows (`/admin/`: django.contrib.admin, and the auth, contenttypes and sessions words it displays:
users, groups, permissions, password hashes, change history), so that they are extracted into
Convene's own catalogues. Django's Kazakh and Swahili catalogues are incomplete and allauth has none
for either: CI requires every shipped language complete, these included.

The admin's JavaScript strings (calendar, clock, selection filter) are not here: they are in
locale/<language>/LC_MESSAGES/djangojs.po, written by `python -m convene.core.catalogues javascript`.

Run again after upgrading Django or allauth: `.venv/bin/python scripts/framework_strings.py`.
"""

import pathlib
import sys

import polib

SITE = pathlib.Path(polib.__file__).parent
DJANGO = SITE / "django"
ROOT = pathlib.Path(__file__).resolve().parent.parent
# Where the strings a Convene user can meet come from: a file or a folder (ending in "/"), as the
# catalogues' references give it (Django's: from the django package, contrib apps included).
SOURCES = {
    DJANGO / "conf/locale/fr/LC_MESSAGES/django.po": (
        "utils/dates.py",
        "utils/timesince.py",
        "utils/text.py",
        "forms/fields.py",
        "forms/forms.py",
        "forms/formsets.py",
        "forms/models.py",
        "forms/utils.py",
        "forms/widgets.py",
        "core/validators.py",
        "db/models/fields/__init__.py",
        "db/models/base.py",
        "template/defaultfilters.py",
        "views/csrf.py",
    ),
    # The admin site, all of it but its password reset pages (not routed: people reset their
    # password through allauth) and its Selenium test helpers.
    DJANGO / "contrib/admin/locale/fr/LC_MESSAGES/django.po": (
        "contrib/admin/actions.py",
        "contrib/admin/apps.py",
        "contrib/admin/filters.py",
        "contrib/admin/forms.py",
        "contrib/admin/helpers.py",
        "contrib/admin/models.py",
        "contrib/admin/options.py",
        "contrib/admin/sites.py",
        "contrib/admin/templates/admin/",
        "contrib/admin/templates/registration/logged_out.html",
        "contrib/admin/templates/registration/password_change_done.html",
        "contrib/admin/templates/registration/password_change_form.html",
        "contrib/admin/templatetags/",
        "contrib/admin/views/",
        "contrib/admin/widgets.py",
    ),
    # Passwords (forms and validators, everywhere), and what the admin shows of users, groups and
    # permissions: the user admin, the names of models and fields, a password's hash summary, the
    # titles of the sign-in, sign-out and password change views.
    DJANGO / "contrib/auth/locale/fr/LC_MESSAGES/django.po": (
        "contrib/auth/admin.py",
        "contrib/auth/apps.py",
        "contrib/auth/base_user.py",
        "contrib/auth/forms.py",
        "contrib/auth/hashers.py",
        "contrib/auth/models.py",
        "contrib/auth/password_validation.py",
        "contrib/auth/views.py",
    ),
    # The names of apps and models, in the admin's filters and the permissions a user is given
    # ("Content Types | content type | Can add content type").
    DJANGO / "contrib/contenttypes/locale/fr/LC_MESSAGES/django.po": (
        "contrib/contenttypes/apps.py",
        "contrib/contenttypes/models.py",
    ),
    DJANGO / "contrib/sessions/locale/fr/LC_MESSAGES/django.po": (
        "contrib/sessions/apps.py",
        "contrib/sessions/models.py",
    ),
    SITE / "allauth/locale/fr/LC_MESSAGES/django.po": (
        "account/adapter.py",
        "account/apps.py",
        "account/forms.py",
        "account/models.py",
        "account/views.py",
        "core/exceptions.py",
        "mfa/adapter.py",
        "mfa/apps.py",
        "mfa/base/forms.py",
        "mfa/base/views.py",
        "mfa/models.py",
        "mfa/totp/forms.py",
        "mfa/recovery_codes/forms.py",
        "templates/account/login.html",
        "templates/account/logout.html",
        "templates/account/password_change.html",
        "templates/account/password_reset.html",
        "templates/account/password_reset_done.html",
        "templates/account/password_reset_from_key.html",
        "templates/account/password_reset_from_key_done.html",
        "templates/account/password_set.html",
        "templates/account/reauthenticate.html",
        "templates/account/email/password_reset_key_message.txt",
        "templates/account/email/password_reset_key_subject.txt",
        "templates/account/email/base_message.txt",
        "templates/account/email/base_notification.txt",
        "templates/account/messages/logged_in.txt",
        "templates/account/messages/logged_out.txt",
        "templates/account/messages/password_changed.txt",
        "templates/account/messages/password_set.txt",
        "templates/mfa/",
    ),
}


def references(catalogue: pathlib.Path) -> dict[tuple, list[str]]:
    """Where each string of the catalogue is used. Django's translated catalogues carry no source
    references; its English catalogue beside them (the extracted original) does, for every string,
    including those spread over several lines or written in a template's {% blocktranslate %}."""
    po = polib.pofile(str(catalogue))
    if not any(entry.occurrences for entry in po):
        english = catalogue.parents[2] / "en" / "LC_MESSAGES" / catalogue.name
        if not english.exists():
            raise SystemExit(f"{catalogue}: no source references, and no English catalogue beside it")
        po = polib.pofile(str(english))
    return {(entry.msgctxt, entry.msgid): [path for path, _line in entry.occurrences] for entry in po}


def wanted(entry: polib.POEntry, sources: tuple[str, ...], used_in: dict[tuple, list[str]]) -> bool:
    return any(path.startswith(sources) for path in used_in.get((entry.msgctxt, entry.msgid), ()))


def call(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        args = f"{entry.msgid!r}, {entry.msgid_plural!r}, 1"
        return f"npgettext({entry.msgctxt!r}, {args})" if entry.msgctxt else f"ngettext({args})"
    return f"pgettext({entry.msgctxt!r}, {entry.msgid!r})" if entry.msgctxt else f"gettext({entry.msgid!r})"


def main() -> int:
    seen, lines = set(), []
    for catalogue, sources in SOURCES.items():
        used_in = references(catalogue)
        for entry in polib.pofile(str(catalogue)):
            key = (entry.msgctxt, entry.msgid)
            if entry.obsolete or key in seen or not wanted(entry, sources, used_in):
                continue
            seen.add(key)
            lines.append(f"    {call(entry)}")
    out = ROOT / "convene/core/framework_strings.py"
    out.write_text(
        '"""Generated by scripts/framework_strings.py: never imported, read by `makemessages` only.\n\n'
        "The strings of Django and django-allauth that Convene and its admin site show, so that\n"
        "Convene's catalogues carry them in every shipped language (Django's kk and sw are incomplete;\n"
        'allauth has neither)."""\n'
        "# ruff: noqa\n"
        "from django.utils.translation import gettext, ngettext, npgettext, pgettext\n\n\n"
        "def _strings():\n" + "\n".join(lines) + "\n"
    )
    print(f"{len(lines)} strings written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
