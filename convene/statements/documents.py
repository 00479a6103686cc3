"""A statement's version as a document, in one of its languages, on the network's letterhead: PDF
(Typst) and Word (python-docx), with the signatory line and the date it was issued."""

from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from convene.core import documents as common
from convene.core.dates import show_date

from . import services
from .models import Statement, Version

TEMPLATE = Path(__file__).parent / "typst" / "statement.typ"
DOCX_TYPE = common.DOCX_TYPE


def statement_data(statement: Statement, version: Version, language: str) -> dict:
    """Everything the document says, in the language of the text (its labels too)."""
    network = statement.network
    text = version.text_in(language)
    issued = services.issued_version(statement)
    is_issued = issued is not None and issued.pk == version.pk
    with translation.override(language):
        occasion = ", ".join(
            str(x)
            for x in (
                statement.occasion,
                show_date(statement.occasion_date) if statement.occasion_date else "",
            )
            if x
        )
        status = statement.get_status_display() if not is_issued else Statement.Status.ISSUED.label
        return {
            "lang": language,
            "network": network.localised("name", language),
            "title": text.get("title") or statement.title,
            "subtitle": occasion,
            "classification": f"{statement.get_audience_display()} — "
            + _("Version %(v)d — %(s)s") % {"v": version.number, "s": status},
            "paragraphs": version.paragraphs(language),
            "signatory": services.signatory_line(statement, language) if is_issued else "",
            "issued": _("Issued on %(d)s") % {"d": show_date(network.today(statement.issued_at))}
            if is_issued
            else "",
        }


def file_name(statement: Statement, version: Version, language: str, extension: str) -> str:
    """`kenya-statement-2026-12-04.pdf` (the date it was issued, else the version's); another
    language than the authoritative one is named: `kenya-statement-en-2026-12-04.pdf`."""
    network = statement.network
    issued = services.issued_version(statement)
    when = network.today(statement.issued_at if issued and issued.pk == version.pk else version.created_at)
    what = "statement" if language == version.authoritative_language else f"statement-{language}"
    if issued is None or issued.pk != version.pk:
        what += f"-v{version.number}"
    return common.download_name(network, what, when, extension)


def pdf(data: dict) -> bytes:
    return common.typst_pdf(TEMPLATE, data)


def docx(data: dict) -> bytes:
    """The same document as Word: A4 with the PDF's margins, page numbers, properties and language."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from convene.core import word  # python-docx, loaded only for Word files

    doc = word.word_document(title=data["title"], author=data["network"], code=data["lang"])
    doc.add_paragraph(data["network"].upper()).runs[0].font.size = word.Pt(8.5)
    doc.add_paragraph(data["title"], style="Title")
    if data["subtitle"]:
        doc.add_paragraph(data["subtitle"])
    for para in data["paragraphs"]:
        doc.add_paragraph(para)
    if data["signatory"]:
        line = doc.add_paragraph()
        line.add_run(data["signatory"]).bold = True
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if data["issued"]:
        issued = doc.add_paragraph(data["issued"])
        issued.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        issued.runs[0].font.size = word.Pt(9)
    word.page_footer(doc, data["classification"])
    return word.word_bytes(doc)
