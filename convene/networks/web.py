"""What every network page shares: loading the network from the URL, and showing a service's errors."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions as perms


def network_view(check=perms.can_view_network):
    """Load the network named in the URL (404 if not visible) and apply `check` (403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, network_slug, *args, **kwargs):
            network = perms.get_network_for_user(request.user, network_slug)
            if check is not None and not check(request.user, network):
                raise PermissionDenied(_("You do not have access to this part of the network."))
            request.network = network
            request.access = perms.access_for(request.user, network)
            with timezone.override(network.zone):
                return view(request, network, *args, **kwargs)

        return wrapper

    return decorator


def apply_service(form, call):
    """Run a service; put its ValidationError on the form. Returns the result or None."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


def run_or_report(request, call):
    """For buttons without a form: run a service; show its ValidationError as a message."""
    try:
        return call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None


def look_before_you_send(request, network, *, preview, send, title, send_label, back, sent):
    """A GET, or a POST without confirmation, shows the recipients and the message exactly as
    `preview()` builds it (the same function the sending uses), in the viewer's language with the
    languages it goes out in, and sends nothing. Only a POST that confirms what was shown (its
    fingerprint: every recipient's copy in their language) calls `send()`; if anything
    changed meanwhile, the new version is shown to confirm again. `sent(result)` words the success."""
    try:
        message = preview()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    changed = False
    if request.method == "POST" and request.POST.get("confirm"):
        if request.POST.get("fingerprint") == message.fingerprint:
            result = run_or_report(request, send)
            if result:
                messages.success(request, sent(result))
            return redirect(back)
        changed = True
    return render(
        request,
        "confirm_send.html",
        {
            "network": network,
            "title": title,
            "message": message,
            "send_label": send_label,
            "back": back,
            "changed": changed,
        },
    )
