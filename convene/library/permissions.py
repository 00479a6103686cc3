from django.http import Http404
from django.utils.translation import gettext as _

from convene.core import release_status
from convene.networks.permissions import access_for

from .models import Document


def _may_read_unreleased(user, document: Document) -> bool:
    access = access_for(user, document.network)
    if document.confidentiality == Document.Confidentiality.RESTRICTED:
        return access.is_secretariat or document.body_id in access.body_ids
    return access.is_member


def can_view_document(user, document: Document) -> bool:
    """Internal: the network's members. Restricted: the body's members and the Secretariat. Once its
    release is agreed: anyone."""
    return _may_read_unreleased(user, document) or release_status.is_released(document)


def visible_documents(user, documents) -> list[Document]:
    """The documents `user` may read, in their order: one query asks about the releases of those
    they could not read otherwise (none for a member reading internal papers)."""
    documents = list(documents)
    others = {d.pk for d in documents if not _may_read_unreleased(user, d)}
    released = release_status.released_ids(Document, others)
    return [d for d in documents if d.pk not in others or d.pk in released]


def get_document_for_user(user, network_slug: str, document_id: int) -> Document:
    """404 for a document that is missing, in another network, or not readable by `user`."""
    document = (
        Document.objects.filter(network__slug=network_slug, pk=document_id).select_related("network").first()
    )
    if document is None or not can_view_document(user, document):
        raise Http404(_("No such document."))
    return document
