"""Word files laid out like the PDFs: A4, the same margins, page numbers, properties, and the
language set on the text. Imported where a Word file is made, not at start-up (python-docx is
about 9 MiB per worker; see `convene.core.documents`)."""

import io

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from convene.core.documents import is_rtl, language

# The PDFs' page (convene/core/typst/convene.typ), repeated in Word.
MARGINS = {"left": Cm(2.2), "right": Cm(2.2), "top": Cm(2.4), "bottom": Cm(2.2)}
# Word's language tags for Convene's languages (a region Word knows; Kenya's Swahili).
WORD_LANGUAGE = {
    "en": "en-GB",
    "fr": "fr-FR",
    "es": "es-ES",
    "ru": "ru-RU",
    "ar": "ar-SA",
    "kk": "kk-KZ",
    "sw": "sw-KE",
}
# A face every Word installation has that covers Latin, Cyrillic with the Kazakh letters, and Arabic.
WORD_FONT = "Arial"


def _set_fonts(rpr, *, size: float | None = None) -> None:
    """One face for Latin, Cyrillic, East Asian and complex-script (Arabic) text alike."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]  # drop the theme fonts (Calibri), which cover no Arabic
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), WORD_FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), str(round(size * 2)))


def _child(parent, tag: str):
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    return element


def _set_language(doc, code: str) -> None:
    """`w:lang` on the default run properties (spelling, hyphenation, the reader's voice); Arabic
    also as the complex-script language, with right-to-left paragraphs and runs."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    tag = WORD_LANGUAGE.get(code, code)
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), tag)
    _set_fonts(rpr)
    if is_rtl(code):
        lang.set(qn("w:bidi"), tag)
        _child(rpr, "w:rtl")
        ppr = _child(_child(defaults, "w:pPrDefault"), "w:pPr")
        _child(ppr, "w:bidi")


def _style(doc, name: str, *, size: float, bold: bool = False, colour: str = "1D2733", before=None) -> None:
    style = doc.styles[name]
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, size=size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor.from_string(colour)
    if before is not None:
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(3)


def word_document(*, title: str, author: str, code: str | None = None):
    """An empty A4 document with the PDFs' margins, its properties (title, author = the network,
    language) and the language set on its text."""
    code = code or language()
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = section.footer_distance = Cm(1.0)
    _set_language(doc, code)
    _style(doc, "Normal", size=10.5)
    _style(doc, "Title", size=16, bold=True)
    _style(doc, "Heading 1", size=13, bold=True, before=14)
    _style(doc, "Heading 2", size=11.5, bold=True, before=10)
    _style(doc, "Heading 3", size=10.5, bold=True, before=8)
    _style(doc, "Caption", size=9, colour="5A6777")
    title_borders = doc.styles["Title"].element.find(qn("w:pPr"))
    if title_borders is not None and title_borders.find(qn("w:pBdr")) is not None:
        title_borders.remove(title_borders.find(qn("w:pBdr")))  # the template's blue rule
    props = doc.core_properties
    now = timezone.now().replace(microsecond=0)
    props.title = title
    props.author = props.last_modified_by = author
    props.language = WORD_LANGUAGE.get(code, code)
    props.comments = props.keywords = props.subject = props.category = ""
    props.created = props.modified = now.replace(tzinfo=None)
    props.revision = 1
    return doc


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def page_footer(doc, text: str) -> None:
    """The footer of every page: the classification, and the page number of the page count."""
    section = doc.sections[0]
    paragraph = section.footer.paragraphs[0]
    paragraph.text = ""
    width = section.page_width - section.left_margin - section.right_margin
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(text)
    paragraph.add_run("\t")
    _field(paragraph, "PAGE")
    paragraph.add_run(" / ")
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x5A, 0x5A, 0x5A)


def repeat_header(table, *, rows: int = 1) -> None:
    """The table's first rows repeat at the top of every page it runs onto (`w:tblHeader`), bold."""
    for row in table.rows[:rows]:
        _child(row._tr.get_or_add_trPr(), "w:tblHeader")
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True


def table(doc, header: list[str] | None, rows: list[list], *, widths: list[float] | None = None, code=None):
    """A table with a repeated header row, right-to-left in Arabic."""
    columns = len(header) if header else len(rows[0]) if rows else 2
    grid = doc.add_table(rows=0, cols=columns)
    grid.style = "Table Grid" if header else None
    for values in ([header] if header else []) + rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else str(value)
    if header:
        repeat_header(grid)
    if widths:
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    if is_rtl(code or language()):
        _child(grid._tbl.tblPr, "w:bidiVisual")
    return grid


def facts(doc, pairs: list[list[str]]):
    """Label and value, two columns without rules: the head of a record."""
    grid = table(doc, None, [[label, value] for label, value in pairs], widths=[3.6, 13.0])
    for row in grid.rows:
        for run in row.cells[0].paragraphs[0].runs:
            run.bold = True
    return grid


def image(doc, png: bytes, *, width_cm: float, caption: str = "") -> None:
    doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
    if caption:
        doc.add_paragraph(caption, style="Caption")


def word_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
