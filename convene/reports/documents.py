"""A report as a document: the data of a version (built once, when issued) rendered as PDF (Typst)
and Word (python-docx). Rendering reads only that data, so an issued report always prints the same."""

import io
import json
from pathlib import Path

import typst
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt

from convene.core.translation import unofficial_note

from .models import SECTIONS, Report

TEMPLATE = Path(__file__).parent / "typst" / "report.typ"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
        _("%(n)d decisions adopted (%(c)d by consensus, %(u)d by the UNCT).")
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
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "audience": report.get_audience_display(),
    }
    status = (
        _("Version %(v)d, issued %(d)s") % {"v": version, "d": issued} if version else _("Draft, not issued")
    )
    return {
        "network": str(report.network.tr.name),
        "title": report.title,
        "subtitle": subtitle,
        "classification": _("For internal use of the network unless agreed otherwise"),
        "facts": [
            [_("Period"), f"{report.get_period_display()}: {report.start} – {report.end}"],
            [_("Audience"), report.get_audience_display()],
            [_("Status"), status],
        ],
        "sections": sections,
    }


def pdf(data: dict) -> bytes:
    return typst.compile(str(TEMPLATE), sys_inputs={"data": json.dumps(data)})


def docx(data: dict) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_paragraph(data["network"].upper()).runs[0].font.size = Pt(9)
    doc.add_heading(data["title"], level=0)
    doc.add_paragraph(data["subtitle"])
    table = doc.add_table(rows=0, cols=2)
    for label, value in data["facts"]:
        row = table.add_row().cells
        row[0].text, row[1].text = str(label), str(value)
    for n, section in enumerate(data["sections"], start=1):
        doc.add_heading(f"{n}. {section['heading']}", level=1)
        for para in section.get("paragraphs", []):
            doc.add_paragraph(para)
        for item in section.get("bullets", []):
            doc.add_paragraph(item, style="List Bullet")
        grid = section.get("table")
        if grid and grid["rows"]:
            t = doc.add_table(rows=1, cols=len(grid["header"]))
            t.style = "Table Grid"
            for cell, text in zip(t.rows[0].cells, grid["header"], strict=True):
                cell.text = str(text)
            for row in grid["rows"]:
                for cell, text in zip(t.add_row().cells, row, strict=True):
                    cell.text = str(text)
    doc.sections[0].footer.paragraphs[0].text = data["classification"]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
