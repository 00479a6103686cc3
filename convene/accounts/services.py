"""Personal API tokens: created and revoked by their owner."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.core.audit import record_change
from convene.core.models import ChangeLog

from .models import ApiToken

TOKEN_PREFIX = "cvn_"


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
