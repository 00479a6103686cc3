from django.http import FileResponse

from convene.networks.web import network_view

from .permissions import get_document_for_user


@network_view(check=None)
def document_download(request, network, document_id):
    """Every download checks who may read the document; files are never served from a public URL."""
    return document_response(get_document_for_user(request.user, network, document_id))


def document_response(document) -> FileResponse:
    """A document as a download, never rendered inline by the browser."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
