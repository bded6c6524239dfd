"""Imported employees get their first password through the emailed link; the CLI can set one."""

from __future__ import annotations

import io
import re
import sys

import pytest
from django.core import mail
from django.urls import reverse

from fleksi.accounts.models import User
from fleksi.cli import main
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_imported_account_without_password_can_activate_by_email(client):
    employee = EmployeeFactory()
    user = employee.user
    user.set_unusable_password()
    user.save()
    response = client.post(reverse("accounts:password_reset"), {"email": user.email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    response = client.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                           {"new_password1": "Kerja-Fleksi-2026!", "new_password2": "Kerja-Fleksi-2026!"})
    assert response.status_code == 302
    assert client.login(username=employee.nip, password="Kerja-Fleksi-2026!")


def test_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "tidak.ada@example.go.id"})
    assert response.status_code == 302 and mail.outbox == []


def test_cli_set_password(monkeypatch, capsys):
    employee = EmployeeFactory()
    monkeypatch.setattr(sys, "stdin", io.StringIO("Kerja-Fleksi-2026!\n"))
    assert main(["user", "set-password", employee.nip, "--stdin"]) == 0
    assert User.objects.get(pk=employee.user_id).check_password("Kerja-Fleksi-2026!")
    monkeypatch.setattr(sys, "stdin", io.StringIO("123\n"))
    assert main(["user", "set-password", employee.nip, "--stdin"]) == 2
    assert main(["user", "set-password", "000000000000000000", "--stdin"]) == 2
    assert "tidak ditemukan" in capsys.readouterr().err


def test_cli_token_create_prints_a_working_token(client, capsys):
    employee = EmployeeFactory()
    assert main(["token", "create", employee.nip]) == 0
    token = capsys.readouterr().out.strip()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()["employee_id"] == employee.pk


# ---- issue 7: a NIP finds the account, like the login; the rules are shown first ----------


def test_reset_by_nip_sends_to_the_accounts_email_and_reveals_nothing(client):
    employee = EmployeeFactory()
    user = employee.user
    response = client.post(reverse("accounts:password_reset"), {"email": employee.nip})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    unknown = client.post(reverse("accounts:password_reset"), {"email": "199001012020121999"})
    assert unknown.status_code == 302 and unknown["Location"] == response["Location"]
    assert len(mail.outbox) == 1  # nothing more sent, the same answer
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert "NIP atau email" in page


def test_set_password_page_shows_the_rules_before_the_first_attempt(client):
    employee = EmployeeFactory()
    client.post(reverse("accounts:password_reset"), {"email": employee.user.email})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True).content.decode()
    assert "Syarat kata sandi" in page and "password-rules" in page
    assert "<li>" in page.split("password-rules", 1)[1].split("</div>", 1)[0]


# ---- issue 12: Argon2, at least 12 characters, the rules shown first -------------------------

REAL_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]


def test_new_passwords_are_hashed_with_argon2(settings):
    from fleksi.config import settings as project

    assert project.PASSWORD_HASHERS == REAL_HASHERS  # the tests' fast_passwords replaces it
    settings.PASSWORD_HASHERS = REAL_HASHERS
    employee = EmployeeFactory()
    employee.user.set_password("Kerja-Fleksi-2026!")
    employee.user.save()
    assert User.objects.get(pk=employee.user_id).password.startswith("argon2$argon2id$")


def test_an_old_pbkdf2_hash_still_logs_in_and_is_upgraded_to_argon2(client, settings):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = REAL_HASHERS
    employee = EmployeeFactory()
    User.objects.filter(pk=employee.user_id).update(
        password=make_password("Kerja-Fleksi-2026!", hasher="pbkdf2_sha256")
    )
    response = client.post(reverse("accounts:login"), {"username": employee.nip, "password": "Kerja-Fleksi-2026!"})
    assert response.status_code == 302
    assert User.objects.get(pk=employee.user_id).password.startswith("argon2$")


def test_passwords_shorter_than_twelve_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    employee = EmployeeFactory()
    with pytest.raises(ValidationError):
        validate_password("Fleksi-2026", employee.user)  # 11 characters
    validate_password("Fleksi-2026!", employee.user)  # 12


def test_the_demo_password_meets_the_rules():
    from django.contrib.auth.password_validation import validate_password

    from fleksi import demo

    assert len(demo.PASSWORD) >= 12
    validate_password(demo.PASSWORD)


def test_the_change_password_page_shows_the_rules_and_refuses_a_short_one(client):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Syarat kata sandi" in page and "12" in page
    from tests.factories import PASSWORD

    short = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Pendek-2026", "new_password2": "Pendek-2026"})
    assert short.status_code == 200 and "12" in short.content.decode()
    ok = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Kerja-Fleksi-2026!", "new_password2": "Kerja-Fleksi-2026!"})
    assert ok.status_code == 302
    assert User.objects.get(pk=employee.user_id).check_password("Kerja-Fleksi-2026!")


def test_the_reset_page_states_the_twelve_characters_before_the_first_try(client):
    employee = EmployeeFactory()
    client.post(reverse("accounts:password_reset"), {"email": employee.user.email})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True).content.decode()
    assert "Syarat kata sandi" in page and "12" in page
