"""Uploading documents: checked for size and kind, internal by default, audited."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from convene.core.audit import record_change
from convene.core.models import ChangeLog
from convene.networks.models import Body, Network

from .models import Document

MAX_BYTES = 20 * 1024 * 1024
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


@transaction.atomic
def upload_document(
    *,
    by,
    network: Network,
    upload,
    title: str = "",
    confidentiality: str = Document.Confidentiality.INTERNAL,
    body: Body | None = None,
) -> Document:
    """Keep a file for the network, internal to it or restricted to one body. It becomes public only
    by an agreed release, proposed once it is kept here."""
    name = Path(upload.name).name
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            {"file": _("Upload a PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text or image file.")}
        )
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    if confidentiality == Document.Confidentiality.RESTRICTED and (
        body is None or body.network_id != network.pk
    ):
        raise ValidationError({"body": _("Choose the body a restricted document is for.")})
    if confidentiality not in Document.Confidentiality.values:
        raise ValidationError(
            {
                "confidentiality": _(
                    "A document is internal to the network or restricted to a body; it becomes public "
                    "only once its release is agreed."
                )
            }
        )
    document = Document(
        network=network,
        title=title.strip() or Path(name).stem,
        filename=name,
        content_type=ALLOWED[suffix],
        size=upload.size,
        confidentiality=confidentiality,
        body=body if confidentiality == Document.Confidentiality.RESTRICTED else None,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    document.file.save(name, upload, save=False)
    document.save()
    record_change(actor=by, obj=document, action=ChangeLog.Action.CREATE, network_id=network.pk)
    return document
