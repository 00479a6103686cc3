"""A worker starts without the libraries only some requests need: python-docx and Typst (documents),
XlsxWriter and openpyxl (spreadsheets), jsonschema (charters) and icalendar (calendars) are about
45 MiB a worker would otherwise keep from start-up (issue 17). Each is imported where it is used;
the tests of documents, spreadsheets, charters and calendars show it still is."""

from convene.core.tests.test_secure_defaults import PRODUCTION, run

ON_DEMAND = ("docx", "typst", "xlsxwriter", "openpyxl", "jsonschema", "icalendar")


def test_a_worker_starts_and_routes_without_the_libraries_of_documents_spreadsheets_and_calendars():
    result = run(
        "import sys\n"
        "from config.wsgi import application\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        f"print(sorted(set({ON_DEMAND!r}) & set(sys.modules)))",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
