"""Users and personal API tokens. Roles come from organisation (agency roles, unit heads)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ID = "id", "Bahasa Indonesia"
    EN = "en", "English"


class User(AbstractUser):
    """A login. Employees log in with their NIP (the username) or their email."""

    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices, default=Language.ID)
    is_national_monitor = models.BooleanField(
        _("pemantau nasional"), default=False, help_text=_("Hanya-baca, lintas instansi.")
    )
    # Raised by every save or delete of one of the account's 2FA devices (accounts/apps.py):
    # a session trusts what it read of the devices only while this is unchanged, and the
    # row is read on every request anyway (docs/decisions/215). The database default lets
    # code that predates the column (old migrations' states, a rolling deploy) insert users.
    otp_version = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A full save of a loaded user (a password change, the admin) must not write back an
        # otp_version older than a device change made meanwhile: only the F() bump writes it.
        if kwargs.get("update_fields") is None and not kwargs.get("force_insert") and not self._state.adding:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "otp_version" and f.attname not in deferred
            ]
        super().save(*args, **kwargs)


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 of the secret is kept; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PasswordResetRequest(models.Model):
    """One request of the password-reset form, to limit the emails per account and the
    requests per address within the lockout's cool-off (docs/decisions/150)."""

    account = models.CharField(max_length=150, blank=True, db_index=True)  # username found, or ""
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    sent = models.BooleanField(default=False)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("permintaan atur ulang sandi")
        verbose_name_plural = _("permintaan atur ulang sandi")

    def __str__(self) -> str:
        return f"{self.account or '?'} {self.ip_address or ''} {self.created_at:%Y-%m-%d %H:%M}"
