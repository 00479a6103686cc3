"""What every generated document shares: ASCII download names, Typst with the repository's fonts
only, and Word files laid out like the PDFs (A4, margins, page numbers, properties, language)."""

import datetime
import io
from types import SimpleNamespace

from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from convene.core import documents, word

KENYA = SimpleNamespace(slug="kenya", name="Kenya UN Network on Migration")


def test_download_names_say_network_what_and_date_in_ascii():
    assert documents.download_name(KENYA, "agenda", datetime.date(2026, 12, 21), "pdf") == (
        "kenya-agenda-2026-12-21.pdf"
    )
    assert documents.download_name(KENYA, "report", "2026-q3-v2", "pdf") == "kenya-report-2026-q3-v2.pdf"
    name = documents.download_name(KENYA, "Хаттама Ұлттық", datetime.date(2026, 1, 2), "docx")
    assert name.isascii() and name.startswith("kenya-") and name.endswith("-2026-01-02.docx")
    response = documents.download(b"x", "kenya-agenda-2026-12-21.pdf", "application/pdf")
    assert response["Content-Disposition"] == 'attachment; filename="kenya-agenda-2026-12-21.pdf"'


def test_typst_uses_the_vendored_fonts_only():
    """The fonts ship with the code (with their licence); the machine's own are never used."""
    assert {p.name for p in documents.FONTS.glob("*.ttf")} == {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"}
    assert "Bitstream" in (documents.FONTS / "LICENSE").read_text()
    # DejaVu Serif is installed on many machines (this one too), but not shipped: never used.
    source = b'#set text(font: ("DejaVu Serif", "DejaVu Sans"))\nUn texte'
    page = PdfReader(io.BytesIO(documents._typst(source, sys_inputs={}))).pages[0]
    fonts = {f.get_object()["/BaseFont"].split("+")[-1] for f in page["/Resources"]["/Font"].values()}
    assert fonts == {"DejaVuSans"}


def _word(code: str) -> Document:
    with translation.override(code):
        doc = word.word_document(title="Хаттама: Ұлттық кеңес", author=KENYA.name)
        word.table(doc, ["Number", "Title"], [["KEN/2027/001", "Workplan"]])
        word.page_footer(doc, "For internal use of the network")
        return Document(io.BytesIO(word.word_bytes(doc)))


def test_a_word_document_is_a4_with_the_pdf_margins_page_numbers_properties_and_language():
    doc = _word("kk")
    section = doc.sections[0]

    def mm(*lengths):
        return tuple(round(length.mm, 1) for length in lengths)

    assert mm(section.page_width, section.page_height) == (210.0, 297.0)  # A4, like the PDFs
    assert mm(section.left_margin, section.right_margin, section.top_margin, section.bottom_margin) == (
        22.0,
        22.0,
        24.0,
        22.0,
    )
    footer = section.footer.paragraphs[0]._p.xml
    assert " PAGE " in footer and " NUMPAGES " in footer and "For internal use of the network" in footer
    props = doc.core_properties
    assert props.title == "Хаттама: Ұлттық кеңес" and props.author == KENYA.name and props.language == "kk-KZ"
    assert props.created.year >= 2026 and "python-docx" not in (props.comments or "")
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "kk-KZ"
    header_row = doc.tables[0].rows[0]._tr
    assert header_row.trPr.find(qn("w:tblHeader")) is not None
    assert (
        doc.tables[0].rows[1]._tr.trPr is None
        or doc.tables[0].rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    )


def test_an_arabic_word_document_reads_right_to_left():
    doc = _word("ar")
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert rpr.find(qn("w:lang")).get(qn("w:bidi")) == "ar-SA" and rpr.find(qn("w:rtl")) is not None
    assert defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:bidi")) is not None
    assert doc.tables[0]._tbl.tblPr.find(qn("w:bidiVisual")) is not None
    english = _word("en").styles.element.find(qn("w:docDefaults"))
    assert english.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:bidi")) is None
