"""Two-factor authentication with django-otp (docs/decisions/153): one TOTP device (an
authenticator app) and one static device holding the recovery codes, shown once.

Writes are audited through fleksi.audit; who must enrol is decided by organisation's roles.
"""

from __future__ import annotations

import base64
import io
from binascii import unhexlify
from typing import Any

import segno
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fleksi.audit.services import audit_record

from .models import User

RECOVERY_CODES = 10
TOTP_NAME = "aplikasi autentikator"
RECOVERY_NAME = "kode pemulihan"


def devices_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A device of the account was saved or deleted: raise the account's ``otp_version``, so
    every session rereads its devices on its next request (docs/decisions/215)."""
    User.objects.filter(pk=instance.user_id).update(otp_version=F("otp_version") + 1)


def has_confirmed_device(user: Any) -> bool:
    """Does the account have a confirmed TOTP device? (one query, cached on the user)."""
    cached = getattr(user, "_fleksi_has_otp", None)
    if cached is None:
        cached = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
        user._fleksi_has_otp = cached
    return bool(cached)


def pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device of an enrolment under way (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into the app by hand."""
    raw = base64.b32encode(unhexlify(device.key.encode())).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (made on the server, no script)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, title="QR", nl=False
    )
    return out.getvalue().decode()


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_confirm(*, request: HttpRequest, user: User, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app. Returns the new recovery codes
    (to show once), or None when the code is wrong. The session counts as verified."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token((token or "").replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    otp_login(request, device)
    user._fleksi_has_otp = True  # type: ignore[attr-defined]
    # otp_version went up with the device (the request's user still holds the old one):
    # the next request reads the devices again and caches them under the new version.
    request.session.pop("fleksi_otp_enrolled", None)
    audit_record(actor=user, action="user.2fa_enrol", object_type="user", object_id=user.pk)
    return codes


@transaction.atomic
def recovery_codes_renew(*, actor: User) -> list[str]:
    codes = _new_recovery_codes(actor)
    audit_record(actor=actor, action="user.2fa_recovery_renew", object_type="user", object_id=actor.pk)
    return codes


def recovery_codes_left(*, user: Any) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk).count()


def verify(*, request: HttpRequest, user: User, token: str) -> bool:
    """A code from the app or an unused recovery code (used up). Marks the session verified."""
    token = (token or "").replace(" ", "").strip()
    if not token:
        return False
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            for device in model.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(token):
                    request.session.cycle_key()  # a new session id once fully authenticated
                    otp_login(request, device)
                    if isinstance(device, StaticDevice):
                        audit_record(actor=user, action="user.2fa_recovery_used", object_type="user",
                                     object_id=user.pk, data={"left": device.token_set.count()})
                    return True
    return False


def check_code(*, user: User, token: str) -> bool:
    """A code for re-authentication (does not change the session's device)."""
    token = (token or "").replace(" ", "").strip()
    if not token:
        return False
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            for device in model.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(token):
                    return True
    return False


@transaction.atomic
def twofactor_reset(*, actor: Any, user: User, agency_id: int | None = None) -> int:
    """Remove every device of the account (another admin's action; the caller checks the
    permission): the next login enrols again. Returns the devices removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    audit_record(actor=actor, action="user.2fa_reset", object_type="user", object_id=user.pk,
                 agency_id=agency_id, data={"user": user.username})
    return removed


def enrolled_user_ids(*, user_ids: list[int] | None = None) -> set[int]:
    qs = TOTPDevice.objects.filter(confirmed=True)
    if user_ids is not None:
        qs = qs.filter(user_id__in=user_ids)
    return set(qs.values_list("user_id", flat=True))
