from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
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
