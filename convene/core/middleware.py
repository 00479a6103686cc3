"""Middleware shared by every app."""

import json

from django.contrib import messages

# Headers with which htmx leaves the page: the messages then wait for the next full page.
_LEAVING = ("HX-Redirect", "HX-Location", "HX-Refresh")


class HtmxMessagesMiddleware:
    """An htmx response swaps a fragment, which has no message banner: the messages of the request
    travel in an `HX-Trigger` event (`convene:announce`) that `static/js/forms.js` reads into the
    page's live region, rather than waiting in the session to surface, stale, on a later page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or any(h in response for h in _LEAVING):
            return response
        if 300 <= response.status_code < 400:
            return response  # htmx follows the redirect; the page it lands on announces them
        announced = [{"text": str(m), "level": m.level_tag} for m in messages.get_messages(request)]
        if announced:
            triggers = {}
            if "HX-Trigger" in response:
                existing = response["HX-Trigger"]
                try:
                    triggers = json.loads(existing)
                except ValueError:
                    triggers = {name.strip(): None for name in existing.split(",")}
            triggers["convene:announce"] = announced
            # ASCII JSON: a header carries Latin-1 only, and htmx parses the escapes.
            response["HX-Trigger"] = json.dumps(triggers)
        return response
