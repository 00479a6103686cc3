"""What every generated document shares: the reader's language and its direction, Typst with the
fonts in the repository (never the machine's), and download names in ASCII. Word files are made in
`convene.core.word`, imported only when one is made: python-docx and Typst cost a worker about
15 MiB, and most workers never make a document (issue 17)."""

import datetime
import json
from pathlib import Path

from django.http import HttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from convene.core.translation import active_language

FONTS = Path(__file__).parent / "fonts"
# Typst resolves "/core/typst/…" imports against this folder, so every template shares one style.
TYPST_ROOT = Path(__file__).resolve().parent.parent
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def language() -> str:
    """The language documents are produced in: the request's (the active language)."""
    return active_language()


def is_rtl(code: str) -> bool:
    try:
        return bool(translation.get_language_info(code)["bidi"])
    except KeyError:
        return False


# Typst -------------------------------------------------------------------------------------------


def _typst(source, *, sys_inputs: dict, **options) -> bytes:
    import typst  # loaded with the first document (see the module's docstring)

    return typst.compile(
        source,
        root=str(TYPST_ROOT),
        font_paths=[str(FONTS)],
        ignore_system_fonts=True,
        sys_inputs=sys_inputs,
        **options,
    )


def typst_pdf(template: Path, data: dict) -> bytes:
    """A PDF from a template and its data (passed as JSON, so no text is ever read as markup), in
    the data's language if it carries one (an issued report), else the reader's."""
    code = data.get("lang") or language()
    payload = {**data, "lang": code, "rtl": is_rtl(code)}
    return _typst(str(template), sys_inputs={"data": json.dumps(payload)})


_PNG_SOURCE = b"""#set page(width: auto, height: auto, margin: 4pt, fill: white)
#image(bytes(sys.inputs.svg), format: "svg", width: float(sys.inputs.width) * 1pt)
"""


def svg_to_png(svg: str, *, width: float, ppi: int = 200) -> bytes:
    """A chart drawn as SVG, as a PNG image (for Word), rendered by Typst with the same fonts."""
    return _typst(_PNG_SOURCE, sys_inputs={"svg": svg, "width": str(width)}, format="png", ppi=ppi)


# Download names -----------------------------------------------------------------------------------


def download_name(network, what: str, when: datetime.date | str, extension: str) -> str:
    """`kenya-agenda-2026-12-21.pdf`: the network, what it is and its date, in ASCII only."""
    when = when.isoformat() if isinstance(when, datetime.date) else when
    stem = "-".join(filter(None, (slugify(network.slug) or "network", slugify(what), slugify(when))))
    return f"{stem}.{extension}"


def download(content, filename: str, content_type: str) -> HttpResponse:
    """A file to save; `filename*` is added by Django only if the name is not ASCII."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
