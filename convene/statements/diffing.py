"""What changed between two wordings of a text: paragraph by paragraph, then word by word within a
paragraph that changed. Pure functions: text in, escaped HTML with <ins>/<del> out."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A word or a punctuation mark with the white space after it, or leading white space: every
# character of the text is in one token.
TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+", re.UNICODE)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the comparison: "equal", "insert" (only in B), "delete" (only in A) or
    "change" (in both, worded differently); `html` is escaped, with the changes marked."""

    kind: str
    html: SafeString


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")) if p.strip()]


def words(old: str, new: str) -> SafeString:
    """The new paragraph with the words removed in <del> and those added in <ins>."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # every piece of text is escaped above


def compare(old: str, new: str) -> list[Paragraph]:
    """Text A against text B, paragraph by paragraph; paragraphs replaced are paired in order and
    compared word by word, the surplus shown as removed or added whole."""
    a, b = paragraphs(old), paragraphs(new)
    result = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result += [Paragraph("equal", escape(p)) for p in b[j1:j2]]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            if k < len(olds) and k < len(news):
                result.append(Paragraph("change", words(olds[k], news[k])))
            elif k < len(olds):
                result.append(Paragraph("delete", mark_safe(f"<del>{escape(olds[k])}</del>")))
            else:
                result.append(Paragraph("insert", mark_safe(f"<ins>{escape(news[k])}</ins>")))
    return result
