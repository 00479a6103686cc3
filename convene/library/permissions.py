from django.http import Http404
from django.utils.translation import gettext as _

from convene.networks.models import Network
from convene.networks.permissions import access_for

from .models import Document


def can_view_document(user, document: Document) -> bool:
    """Public: anyone. Internal: the network's members. Restricted: the body's members and the Secretariat."""
    if document.confidentiality == Document.Confidentiality.PUBLIC:
        return True
    access = access_for(user, document.network)
    if document.confidentiality == Document.Confidentiality.RESTRICTED:
        return access.is_secretariat or document.body_id in access.body_ids
    return access.is_member


def get_document_for_user(user, network: Network, document_id: int) -> Document:
    document = Document.objects.filter(network=network, pk=document_id).select_related("network").first()
    if document is None or not can_view_document(user, document):
        raise Http404(_("No such document."))
    return document
