from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from convene.core.files import open_stored

from .permissions import get_document_for_user


@login_not_required
@require_safe
def document_download(request, network_slug, document_id):
    """Every download checks who may read the document; files are never served from a public URL.
    A released document is anyone's; for anything else a visitor is asked to sign in, as on every
    other page, and a signed-in reader who may not read it finds nothing."""
    try:
        return document_response(get_document_for_user(request.user, network_slug, document_id))
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise


def document_response(document) -> FileResponse:
    """A document as a download, never rendered inline by the browser."""
    response = FileResponse(
        open_stored(document.file),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
