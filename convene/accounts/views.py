from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from convene.networks import permissions as perms

from . import services
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)


def settings_page(request):
    """The signed-in person's own page: networks and seats, two-factor sign-in, API tokens."""
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.create_api_token(user=request.user, name=form.cleaned_data["name"])
            form = TokenForm()
        except ValidationError as exc:
            form.add_error(None, exc)
    seats = request.user.representations.select_related(
        "membership__body__network", "membership__organisation"
    ).order_by("membership__body__network__name", "membership__body__order")
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": request.user.api_tokens.all(),
            "seats": seats,
            "networks": perms.networks_for(request.user),
        },
    )


@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(user=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:settings")


@login_not_required
@require_POST
def choose_language(request):
    """The language switcher (every page, the sign-in page too): Django's `set_language` keeps the
    choice in a cookie and returns to the page; a signed-in person's choice is also saved, so their
    e-mails and their other devices follow it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(django_settings.LANGUAGES):
        services.choose_language(user=request.user, language=language)
    return response
