"""Agenda and minutes as documents in the reader's language: a PDF set in one type family for every
script (Kazakh letters included), its language and direction set; Word files laid out like the PDFs;
download names that say network, what and the meeting's local date."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from convene.meetings import services

# Names carry the meeting's local date: also run where UTC and the network disagree.
pytestmark = pytest.mark.clock

TITLE = "Ұлттық үйлестіру кеңесінің отырысы"


@pytest.fixture
def meeting(kazakhstan):
    start = timezone.now() - datetime.timedelta(days=2)  # held: it can have minutes
    meeting = services.schedule_meeting(
        by=None,
        body=kazakhstan.bodies.get(slug="network"),
        title=TITLE,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        location="Астана, ҰБҰ үйі",
    )
    services.add_agenda_item(by=None, meeting=meeting, title="Көші-қон саясаты: Әлеуметтік қорғау")
    return meeting


def reader(client, user, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def url(name, meeting):
    return reverse(f"meetings:{name}", args=[meeting.network.slug, meeting.pk])


def fonts_of(text_runs, needle):
    return {font for text, font in text_runs if text.strip() and text.strip() in needle}


def runs(pdf: bytes) -> list[tuple[str, str]]:
    """Each piece of text on the first page with the font it is set in."""
    found = []

    def visit(text, _cm, _tm, font, _size):
        if font is not None and text:
            found.append((text, font["/BaseFont"].split("+")[-1]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def test_a_kazakh_agenda_sets_its_heading_in_one_font_and_its_text_is_extractable(
    client, meeting, kazakhstan_secretariat
):
    response = reader(client, kazakhstan_secretariat, "kk").get(url("agenda_pdf", meeting))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert pdf.trailer["/Root"]["/Lang"] == "kk"
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert TITLE in text and "Көші-қон саясаты: Әлеуметтік қорғау" in text and "ҰБҰ" in text
    embedded = {
        font.get_object()["/BaseFont"].split("+")[-1]
        for page in pdf.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert embedded <= {"DejaVuSans", "DejaVuSans-Bold"}
    with translation.override("kk"):
        title = gettext("Agenda: %(m)s") % {"m": TITLE}
    assert title != f"Agenda: {TITLE}" and title in text  # the heading is Kazakh too
    heading = fonts_of(runs(response.content), title)
    assert heading == {"DejaVuSans-Bold"}  # «Ұ» no longer falls back to another face mid-heading
    assert pdf.metadata["/Author"] == meeting.network.localised("name", "kk")


def test_an_arabic_reader_gets_a_right_to_left_agenda(client, meeting, kazakhstan_secretariat):
    c = reader(client, kazakhstan_secretariat, "ar")
    pdf = PdfReader(io.BytesIO(c.get(url("agenda_pdf", meeting)).content))
    assert pdf.trailer["/Root"]["/Lang"] == "ar"
    word = Document(io.BytesIO(c.get(url("agenda_docx", meeting)).content))
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:bidi")) is not None
    assert word.core_properties.language == "ar-SA"


def test_the_minutes_speak_the_readers_language(client, meeting, kazakhstan_secretariat):
    minutes = services.start_minutes(by=None, meeting=meeting)
    services.save_minutes(by=None, minutes=minutes, revision=0, summary="Кворум болды.", items={})
    with translation.override("fr"):
        summary = gettext("Summary")
    assert summary != "Summary"  # the heading is translated in the catalogue
    c = reader(client, kazakhstan_secretariat, "fr")
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(c.get(url("minutes_pdf", meeting)).content)).pages
    )
    assert summary in text and "Кворум болды." in text
    word = Document(io.BytesIO(c.get(url("minutes_docx", meeting)).content))
    assert summary in [p.text for p in word.paragraphs]


def test_the_word_agenda_is_a4_with_page_numbers_properties_and_its_language(
    client, meeting, kazakhstan_secretariat
):
    word = Document(
        io.BytesIO(reader(client, kazakhstan_secretariat, "kk").get(url("agenda_docx", meeting)).content)
    )
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 22 and round(section.top_margin.mm) == 24
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer
    props = word.core_properties
    assert props.title.endswith(TITLE) and props.author == meeting.network.localised("name", "kk")
    assert props.language == "kk-KZ"
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "kk-KZ"
    assert TITLE in " ".join(p.text for p in word.paragraphs)


def test_downloads_are_named_by_network_what_and_the_meetings_local_date(
    client, meeting, kazakhstan_secretariat
):
    c = reader(client, kazakhstan_secretariat, "en")
    day = meeting.local_start.date().isoformat()
    services.start_minutes(by=None, meeting=meeting)
    for name, expected in (
        ("agenda_pdf", f"kazakhstan-agenda-{day}.pdf"),
        ("agenda_docx", f"kazakhstan-agenda-{day}.docx"),
        ("minutes_pdf", f"kazakhstan-minutes-{day}.pdf"),
        ("minutes_docx", f"kazakhstan-minutes-{day}.docx"),
        ("pack", f"kazakhstan-meeting-pack-{day}.zip"),
    ):
        response = c.get(url(name, meeting))
        assert response["Content-Disposition"] == f'attachment; filename="{expected}"', name
    pack = zipfile.ZipFile(io.BytesIO(c.get(url("pack", meeting)).content))
    assert set(pack.namelist()) == {
        f"kazakhstan-agenda-{day}.pdf",
        f"kazakhstan-agenda-{day}.docx",
        f"kazakhstan-invitation-{day}.ics",
    }
