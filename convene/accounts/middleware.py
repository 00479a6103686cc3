"""A signed-in person reads every page in the language they chose, on any device."""

from django.utils import translation


class UserLanguageMiddleware:
    """After authentication: the person's saved language wins over the cookie and the browser's
    Accept-Language, which `LocaleMiddleware` used before anyone was known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
