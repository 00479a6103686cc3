"""An issued report can be made public by the release engine (a hook of the statements app): the
network's deciding body agrees, and the public page offers its PDF in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.decisions.rules import deciding_body_for
from convene.statements.releases import Releasable, register

from . import documents
from .models import ReportVersion


def _title(version: ReportVersion) -> str:
    return _("%(title)s (version %(v)d)") % {"title": version.report.title, "v": version.version}


def _pdf(version: ReportVersion):
    return (
        documents.pdf(documents.in_language(version.data)),
        documents.file_name(version.report, version.version, "pdf"),
        "application/pdf",
    )


register(
    ReportVersion,
    Releasable(
        label=gettext_lazy("Report"),
        network=lambda v: v.report.network,
        owners=lambda v: deciding_body_for(v.report.network, "general"),
        title=_title,
        refuse=lambda v: None,
        candidates=lambda n: (
            ReportVersion.objects.filter(report__network=n).select_related("report").order_by("-issued_at")
        ),
        public_file=_pdf,
        # Issued in every shipped language (a version issued before that: in its own).
        languages=lambda v: list(v.data.get("translations") or {}) or [v.data.get("lang", "en")],
    ),
)
