"""The English catalogue: complete, not fuzzy, compiled (the .mo is committed because a user's
machine may lack GNU gettext) and actually used once a user switches to English."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import EmployeeFactory

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = CATALOGUE / "django.po"
MO = CATALOGUE / "django.mo"

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{\s*\w+\s*\}\}")


def _po_entries(path: Path) -> list[dict]:
    """A small .po reader: one dict per entry (msgctxt, msgid, msgid_plural, msgstr list, flags),
    obsolete (#~) entries skipped."""
    entries: list[dict] = []
    entry: dict = {}
    field: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal entry, field
        if "msgid" in entry:
            entries.append(entry)
        entry, field = {}, None

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
        elif line.startswith("#"):
            if "msgid" in entry:
                flush()
            if line.startswith("#,"):
                entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif match := _KEYWORD.match(line):
            keyword, index, text = match.groups()
            value = ast.literal_eval(text)
            if keyword == "msgstr":
                entry.setdefault("msgstr", {})[int(index or 0)] = value
                field = ("msgstr", int(index or 0))
            else:
                entry[keyword] = value
                field = (keyword, -1)
        elif line.startswith('"') and field is not None:
            value = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += value
            else:
                entry[field[0]] += value
        else:
            raise AssertionError(f"unexpected line in {path.name}: {line!r}")
    flush()
    return entries


def _key(entry: dict) -> str:
    """The key gettext uses in a compiled catalogue: context EOT msgid."""
    context = entry.get("msgctxt")
    return f"{context}\x04{entry['msgid']}" if context is not None else entry["msgid"]


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    assert PO.exists(), f"{PO} is missing: run makemessages -l en in src/fleksi"
    entries = [e for e in _po_entries(PO) if e["msgid"] != ""]  # the header
    assert entries
    return entries


@pytest.fixture(scope="module")
def mo_catalog() -> dict:
    assert MO.exists(), f"{MO} is missing: run compilemessages -l en in src/fleksi"
    with MO.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]


def test_every_entry_is_translated_and_none_is_fuzzy(po_entries):
    untranslated = [
        e["msgid"] for e in po_entries if any(not s.strip() for s in e["msgstr"].values())
    ]
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e.get("flags", set())]
    assert untranslated == []
    assert fuzzy == []
    plural = [e for e in po_entries if "msgid_plural" in e]
    assert all(sorted(e["msgstr"]) == [0, 1] for e in plural)


def test_placeholders_survive_translation(po_entries):
    broken = []
    for e in po_entries:
        expected = sorted(_PLACEHOLDER.findall(e.get("msgid_plural", e["msgid"])))
        if "python-format" not in e.get("flags", set()) and not expected:
            continue
        for text in e["msgstr"].values():
            if sorted(_PLACEHOLDER.findall(text)) != expected:
                broken.append((e["msgid"], text))
    assert broken == []


def test_compiled_catalogue_is_not_stale(po_entries, mo_catalog):
    po_ids = {_key(e) for e in po_entries}
    mo_ids = {key[0] if isinstance(key, tuple) else key for key in mo_catalog} - {""}
    assert po_ids - mo_ids == set(), "the .mo lacks msgids of the .po: run compilemessages -l en"
    assert mo_ids - po_ids == set(), "the .mo has msgids the .po no longer has: run compilemessages"
    differs = []
    for e in po_entries:
        for index, text in e["msgstr"].items():
            compiled = mo_catalog[(_key(e), index)] if "msgid_plural" in e else mo_catalog[_key(e)]
            if compiled != text:
                differs.append((e["msgid"], text, compiled))
    assert differs == [], "the .mo differs from the .po: run compilemessages -l en"


def _html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang> attribute"
    return match.group(1)


def _switch(client, language: str, next_url: str) -> None:
    response = client.post(
        reverse("accounts:set_language"), {"language": language, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == next_url


@pytest.mark.django_db
def test_login_page_follows_the_chosen_language(client):
    login = reverse("accounts:login")
    page = client.get(login)
    assert _html_lang(page) == "id"
    assert "Masuk ke Fleksi" in page.content.decode()

    _switch(client, "en", login)
    page = client.get(login)
    text = page.content.decode()
    assert _html_lang(page) == "en"
    assert "Log in to Fleksi" in text
    assert "Log in" in text
    assert "Password" in text
    assert "Masuk ke Fleksi" not in text

    _switch(client, "id", login)
    page = client.get(login)
    assert _html_lang(page) == "id"
    assert "Masuk ke Fleksi" in page.content.decode()
    assert "Log in to Fleksi" not in page.content.decode()


@pytest.mark.django_db
def test_employee_home_follows_the_chosen_language(client):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    home = reverse("home")

    _switch(client, "en", home)
    page = client.get(home)
    assert page.status_code == 200
    text = page.content.decode()
    assert _html_lang(page) == "en"
    assert ">Home<" in text
    assert f"Welcome, {employee.name}" in text
    assert "Log out" in text
    assert "Beranda" not in text
    employee.user.refresh_from_db()
    assert employee.user.language == "en"  # remembered for the next login

    _switch(client, "id", home)
    page = client.get(home)
    text = page.content.decode()
    assert _html_lang(page) == "id"
    assert ">Beranda<" in text
    assert f"Selamat datang, {employee.name}" in text
    assert ">Home<" not in text


def test_entries_are_separated_by_blank_lines():
    """A union merge once joined two entries (the second's comments and msgid right after the
    first's msgstr); gettext tolerates it, a reviewer and some tools do not."""
    joined = []
    for po in sorted(Path(settings.BASE_DIR).glob("**/locale/en/LC_MESSAGES/*.po")):
        in_msgstr = False
        for number, line in enumerate(po.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                in_msgstr = False
            elif line.startswith("msgstr"):
                in_msgstr = True
            elif in_msgstr and not line.startswith('"'):
                joined.append(f"{po.name}:{number}: {line}")
    assert joined == []
