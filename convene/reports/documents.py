"""A report as a document: the data of a version (built once, when issued, in every shipped
language) rendered as PDF (Typst) and Word (python-docx) in the reader's language. Rendering reads
only that data, so an issued report always prints the same."""

import datetime
import re
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from convene.core import documents as common
from convene.core.dates import show_date
from convene.core.translation import unofficial_note

from .models import SECTIONS, Report

TEMPLATE = Path(__file__).parent / "typst" / "report.typ"
DOCX_TYPE = common.DOCX_TYPE
TEXT_WIDTH_CM = 16.6  # A4 less the margins


def period_slug(report: Report) -> str:
    """2026-q3, 2026-h1 or 2026: the period a report covers, for its file name."""
    start = report.start
    if report.period == Report.Period.QUARTER:
        return f"{start.year}-q{(start.month - 1) // 3 + 1}"
    if report.period == Report.Period.HALF:
        return f"{start.year}-h{1 if start.month <= 6 else 2}"
    return str(start.year)


def file_name(report: Report, version: int, extension: str) -> str:
    """`kenya-report-2026-q3-v2.pdf`."""
    return common.download_name(report.network, "report", f"{period_slug(report)}-v{version}", extension)


def in_language(data: dict, code: str | None = None) -> dict:
    """An issued version's document in the reader's language (`code`, else the active one); a
    version issued before documents were kept in every language has only its own."""
    translations = data.get("translations") or {}
    document = translations.get(code or common.language()) or data
    return {k: v for k, v in document.items() if k != "translations"}


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def _pct(value) -> str:
    return "—" if value is None else f"{value} %"


def _meetings(m: dict) -> dict:
    bullets = []
    for r in m["rules"]:
        line = _("%(rule)s: met in %(met)d of %(req)d quarters.") % {
            "rule": r["rule"],
            "met": r["met"],
            "req": r["required"],
        }
        if r["missed"]:
            line += " " + _("Missed: %s.") % ", ".join(r["missed"])
        bullets.append(line)
    if m["annual_required"]:
        bullets.append(
            _("Annual meeting: held.") if m["annual_held"] else _("Annual meeting: not held in the period.")
        )
    if m["attendance_rate"] is not None:
        bullets.append(
            _("Attendance: %d %% of member seats represented at the meetings held.") % m["attendance_rate"]
        )
    rows = [
        [x["date"], x["title"], x["body"], f"{x['present']}/{x['expected']}" if x["recorded"] else "—"]
        for x in m["held"]
    ]
    return {
        "bullets": bullets,
        "table": {"header": [_("Date"), _("Meeting"), _("Body"), _("Represented")], "rows": rows},
    }


def _decisions(d: dict) -> dict:
    s = d["summary"]
    decided, escalated, actions = s["decisions"], s["escalations"], s["actions"]
    bullets = [
        ngettext(
            "%(n)d decision adopted (%(c)d by consensus, %(u)d by the UNCT).",
            "%(n)d decisions adopted (%(c)d by consensus, %(u)d by the UNCT).",
            decided["adopted"],
        )
        % {"n": decided["adopted"], "c": decided["by_consensus"], "u": decided["by_unct"]},
        _("%(t)d matters tabled to the UNCT; %(p)d pending.")
        % {"t": escalated["tabled"], "p": escalated["pending"]},
        _("Action items due in the period: %(t)d; done %(d)d (%(o)d on time); overdue %(x)d; blocked %(b)d.")
        % {
            "t": actions["total"],
            "d": actions["done"],
            "o": actions["done_on_time"],
            "x": actions["overdue"],
            "b": actions["blocked"],
        },
    ]
    rows = [[x["number"], x["title"], x["how"]] for x in d["adopted"]]
    return {
        "bullets": bullets,
        "table": {"header": [_("Number"), _("Decision"), _("How adopted")], "rows": rows},
    }


def _statements(s: dict) -> dict:
    issued = s["issued"]
    by_network = sum(1 for x in issued if x["by_network"])
    bullets = [
        ngettext(
            "%(n)d statement issued (%(w)d in the name of the network).",
            "%(n)d statements issued (%(w)d in the name of the network).",
            len(issued),
        )
        % {"n": len(issued), "w": by_network},
        ngettext("%(n)d delivery recorded.", "%(n)d deliveries recorded.", len(s["deliveries"]))
        % {"n": len(s["deliveries"])},
        ngettext("%(n)d record made public.", "%(n)d records made public.", s["released"])
        % {"n": s["released"]},
    ]
    rows = [
        [
            show_date(datetime.date.fromisoformat(x["issued_on"])),
            x["title"],
            x["kind"],
            _("The network")
            if x["by_network"]
            else ngettext("%(n)d agency", "%(n)d agencies", x["agencies"]) % {"n": x["agencies"]},
        ]
        for x in issued
    ]
    return {
        "bullets": bullets,
        "table": {"header": [_("Issued"), _("Statement"), _("Kind"), _("Signed by")], "rows": rows},
    }


def _workplan(w: dict) -> dict:
    bullets = [
        f"{x['title']}: {x['status']}" + (f" ({x['decision']})" if x["decision"] else "")
        for x in w["workplans"]
    ]
    bullets.append(
        _("%(n)d activities, %(c)d completed; %(r)d reported progress, %(p)s on average.")
        % {"n": w["activities"], "c": w["completed"], "r": w["reported"], "p": _pct(w["mean_progress"])}
    )
    bullets.append(
        _("Ratings: green %(g)d, amber %(a)d, red %(r)d.")
        % {"g": w["rag"]["green"], "a": w["rag"]["amber"], "r": w["rag"]["red"]}
    )
    bullets.append(
        _("GCM objectives covered: %(n)d of 23 (%(list)s).")
        % {"n": w["gcm_covered"], "list": "; ".join(w["gcm_objectives"]) or "—"}
    )
    if note := unofficial_note():
        bullets.append(note)
    rows = [[g["label"], g["activities"], g["reported"], _pct(g["percent"])] for g in w["progress_by_group"]]
    header = [_("Working group"), _("Activities"), _("Reported"), _("Mean progress")]
    return {
        "bullets": bullets,
        "table": {"header": header, "rows": rows},
        "figure": w.get("coverage_chart", ""),
        "caption": _("Activities by GCM objective"),
    }


def _funding(w: dict) -> dict:
    f = w["funding"]
    line = _("Budget %(b)s: funded %(f)s, in the pipeline %(p)s, gap %(g)s.") % {
        "b": f["budget"],
        "f": f["funded"],
        "p": f["pipeline"],
        "g": f["gap"],
    }
    return {
        "bullets": [line],
        "figure": w["funding_chart"],
        "caption": _("Funding by GCM objective: funded, pipeline, gap"),
    }


def document_data(report: Report, figures: dict, *, version: int | None, issued: str = "") -> dict:
    """Sections in a fixed order: the Secretariat's text first, then the figures from the records."""
    blocks = {
        "meetings": _meetings(figures["meetings"]),
        "decisions": _decisions(figures["decisions"]),
        "workplan": _workplan(figures["workplan"]),
        "funding": _funding(figures["workplan"]),
    }
    if "statements" in figures:  # a version issued before statements were kept has none
        blocks["statements"] = _statements(figures["statements"])
    sections = []
    for key, label in SECTIONS:
        section = {
            "heading": str(label),
            "paragraphs": _paragraphs(report.narrative.get(key, "")),
            **blocks.get(key, {}),
        }
        if section["paragraphs"] or key in blocks:
            sections.append(section)
    subtitle = _("%(from)s to %(to)s — for the %(audience)s") % {
        "from": show_date(report.start),
        "to": show_date(report.end),
        "audience": report.get_audience_display(),
    }
    status = (
        _("Version %(v)d, issued %(d)s") % {"v": version, "d": issued} if version else _("Draft, not issued")
    )
    return {
        "lang": common.language(),
        "network": str(report.network.tr.name),
        "title": report.title,
        "subtitle": subtitle,
        "classification": _("For internal use of the network unless agreed otherwise"),
        "facts": [
            [
                _("Period"),
                f"{report.get_period_display()}: {show_date(report.start)} – {show_date(report.end)}",
            ],
            [_("Audience"), report.get_audience_display()],
            [_("Status"), status],
        ],
        "sections": sections,
    }


def pdf(data: dict) -> bytes:
    return common.typst_pdf(TEMPLATE, data)


def chart_png(svg: str) -> bytes:
    """A chart of the report (SVG, drawn on the server) as an image Word shows."""
    match = re.search(r'\swidth="([\d.]+)"', svg)
    return common.svg_to_png(svg, width=float(match.group(1)) if match else 480.0)


def docx(data: dict) -> bytes:
    """The report as Word: A4 with the PDF's margins, page numbers, properties, the language set on
    its text, tables whose header row repeats, and the charts as images."""
    from convene.core import word  # python-docx, loaded only for Word files

    doc = word.word_document(title=data["title"], author=data["network"], code=data.get("lang"))
    doc.add_paragraph(data["network"].upper()).runs[0].font.size = word.Pt(8.5)
    doc.add_paragraph(data["title"], style="Title")
    doc.add_paragraph(data["subtitle"])
    word.facts(doc, data["facts"])
    for n, section in enumerate(data["sections"], start=1):
        doc.add_heading(f"{n}. {section['heading']}", level=1)
        for para in section.get("paragraphs", []):
            doc.add_paragraph(para)
        for item in section.get("bullets", []):
            doc.add_paragraph(item, style="List Bullet")
        grid = section.get("table")
        if grid and grid["rows"]:
            word.table(doc, [str(h) for h in grid["header"]], grid["rows"], code=data.get("lang"))
        if section.get("figure"):
            word.image(
                doc, chart_png(section["figure"]), width_cm=TEXT_WIDTH_CM, caption=section.get("caption", "")
            )
    word.page_footer(doc, data["classification"])
    return word.word_bytes(doc)
