"""Personal API tokens: created and revoked by their owner."""

import hashlib
import secrets

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.core.audit import record_change
from convene.core.mail import Content, Phrase, queue_email
from convene.core.models import ChangeLog

from .models import ApiToken

TOKEN_PREFIX = "cvn_"
WELCOME_REASON = gettext_lazy(
    "You receive this because the Secretariat of %(network)s designated you to represent %(org)s in %(body)s."
)


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the secret, which is never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the token after what uses it.")})
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= 20:
        raise ValidationError(_("Revoke a token first: at most 20 can be active."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[4:12], key_hash=hash_token(key))
    record_change(
        actor=user, obj=token, action=ChangeLog.Action.CREATE, network_id=None, changes={"name": [None, name]}
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, user, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise ValidationError(_("This is not your token."))
    if token.revoked_at:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_change(
        actor=user,
        obj=token,
        action=ChangeLog.Action.UPDATE,
        network_id=None,
        changes={"revoked_at": [None, str(token.revoked_at)]},
    )


def authenticate_token(key: str) -> ApiToken | None:
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token and (token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 300):
        # Touch at most every five minutes, so reads stay reads.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


# Welcome ---------------------------------------------------------------------------------------


def set_password_url(user) -> str:
    """A link to choose a password (allauth's reset-from-key page): it works once, since the token
    hashes the current password, and expires after PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.CONVENE_BASE_URL + path


def welcome_message(*, representative) -> Content:
    """The welcome e-mail for a newly designated representative, in the active language."""
    person, membership = representative.person, representative.membership
    network = membership.body.network
    context = {
        "person": person,
        "network": network,
        "body": membership.body,
        "organisation": membership.organisation,
        "email": person.email,
        "link": set_password_url(person),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "sign_in": settings.CONVENE_BASE_URL + reverse("account_login"),
    }
    return Content(
        subject=_("Welcome to %(network)s on Convene: choose your password") % {"network": network.tr.name},
        text=render_to_string("accounts/email/welcome.txt", context).strip() + "\n",
    )


def send_welcome(*, representative) -> bool:
    """Queue the welcome e-mail when the person designated has never set a password (their account
    was just created for them), so they can sign in. Returns whether it was queued."""
    person, membership = representative.person, representative.membership
    if not person.is_active or person.has_usable_password():
        return False
    queue_email(
        to=[person.email],
        topic="welcome",
        network=membership.body.network,
        reason=Phrase(
            WELCOME_REASON,
            network=membership.body.network,
            org=membership.organisation,
            body=membership.body.name,
        ),
        compose=lambda: welcome_message(representative=representative),
    )
    return True


def choose_language(*, user, language: str) -> None:
    """Remember the person's language for every page and every e-mail sent to them."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language: %(code)s.") % {"code": language})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
