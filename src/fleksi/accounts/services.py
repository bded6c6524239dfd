"""Writes for accounts: API tokens, language, passwords."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode

from .models import ApiToken, Language, User

TOKEN_PREFIX = "fks"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str


@transaction.atomic
def api_token_create(*, actor: Any, user: User, name: str) -> IssuedToken:
    if actor.pk != user.pk and not actor.is_superuser:
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Anda tidak boleh membuat token untuk pengguna lain."))
    name = (name or "").strip() or "token"
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=prefix, secret_hash=_hash(secret))
    audit_record(actor=actor, action="api_token.create", object_type="api_token", object_id=token.pk,
                 data={"user": user.username, "name": token.name})
    return IssuedToken(token=token, plaintext=f"{TOKEN_PREFIX}_{prefix}_{secret}")


@transaction.atomic
def api_token_revoke(*, actor: Any, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None or (token.user_id != actor.pk and not actor.is_superuser):
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Token tidak ditemukan."))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", object_type="api_token", object_id=token.pk)
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The user of a presented token, or None. Constant-time comparison of the hash."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if token is None or not secrets.compare_digest(token.secret_hash, _hash(parts[2])):
        return None
    if not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_set_language(*, actor: User, language: str) -> None:
    if language not in Language.values:
        raise ApplicationError(ErrorCode.VALIDATION, _("Bahasa tidak dikenal."))
    if actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> None:
    """Set a password (the command line, or a system admin). Validation is the caller's."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.set_password", object_type="user", object_id=user.pk)


@transaction.atomic
def user_unlock(*, actor: Any, user: User, agency_id: int | None = None) -> int:
    """Lift a login lockout of the account (the caller checks that the actor may). Audited."""
    from .lockout import clear_lock

    removed = clear_lock(username=user.get_username())
    audit_record(actor=actor, action="user.unlock", object_type="user", object_id=user.pk,
                 agency_id=agency_id, data={"user": user.get_username(), "attempts_removed": removed})
    return removed


def password_reset_allowed(*, account: str, ip_address: str | None) -> tuple[bool, bool]:
    """Record a reset request; (address allowed, email allowed) within the cool-off window.

    The address limit answers with a message; the account limit silently sends nothing more
    (the page says the same as for an unknown account, so it reveals nothing)."""
    from django.conf import settings

    from .models import PasswordResetRequest

    now = clock.now()
    since = now - settings.AXES_COOLOFF_TIME
    PasswordResetRequest.objects.filter(created_at__lt=now - dt.timedelta(days=1)).delete()
    by_address = PasswordResetRequest.objects.filter(ip_address=ip_address, created_at__gte=since).count()
    if ip_address and by_address >= settings.FLEKSI_RESET_REQUESTS_PER_ADDRESS:
        return False, False
    sent = 0
    if account:
        sent = PasswordResetRequest.objects.filter(account=account, sent=True, created_at__gte=since).count()
    email_ok = bool(account) and sent < settings.FLEKSI_RESET_EMAILS_PER_ACCOUNT
    PasswordResetRequest.objects.create(account=account, ip_address=ip_address, sent=email_ok, created_at=now)
    return True, email_ok
