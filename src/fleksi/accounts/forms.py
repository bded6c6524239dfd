from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIP atau email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "inputmode": "email"}),
    )
    error_messages = {
        "invalid_login": _("NIP/email atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
    }


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=100, initial="token")


class ActivationOrResetForm(PasswordResetForm):
    """Password reset that also reaches imported employees who never had a password.

    Imported accounts start with an unusable password; the same emailed link sets the first
    password (activation) or a new one (reset).
    """

    # "email" keeps its name (the view and the tests post it) but, like the login, takes a
    # NIP as well: a NIP finds that employee's account and the link goes to its email.
    email = forms.CharField(
        label=_("NIP atau email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def get_users(self, email: str) -> Iterator[Any]:
        from .selectors import user_get_by_login, users_by_email

        login = email.strip()
        if "@" in login:
            yield from users_by_email(email=login)
            return
        # Django's save() sends to the account's own address, never to what was typed.
        user = user_get_by_login(login=login)
        if user is not None and user.is_active and user.email:
            yield user


class OtpForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Kode 6 angka atau kode pemulihan"),
        max_length=32,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi"), strip=False,
        widget=forms.PasswordInput(attrs={"autofocus": True, "autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label=_("Kode dari aplikasi autentikator"), max_length=32, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
