"""`makemessages` for every shipped language, with the options Convene's catalogues keep."""

from django.conf import settings
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    help = "Extract every translatable string into locale/<language>/LC_MESSAGES/django.po."
    # A new string is untranslated until someone translates it: a guess marked fuzzy would ship
    # as English and hide from the catalogue check.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        if not options["locale"] and not options["all"]:
            options["locale"] = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED]
        options["no_obsolete"] = True
        options["no_wrap"] = True
        options["add_location"] = options["add_location"] or "file"
        options["verbosity"] = min(options["verbosity"], 1)
        return super().handle(*args, **options)


# Not Convene's strings: the virtual environment, data, tests (their text is never shown).
IGNORED = [".venv/*", "var/*", "node_modules/*", "bench/*", "tests/*", "*/tests/*", "scripts/*", "docs/*"]
