"""Every translatable string in the source has an English translation.

tests/test_translations.py checks the entries the catalogues already hold; this test extracts
the msgids from the code and templates the way `makemessages` does (Django's `templatize` for
templates, GNU xgettext with Django's keywords for both) and fails for any msgid that no
project catalogue translates. Skipped with a reason when xgettext is not installed, except on
CI (CI=true), where a missing xgettext is a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

from tests.test_translations import _key, _po_entries

SRC = Path(settings.BASE_DIR)  # src/fleksi
SKIP_DIRS = {"migrations", "static", "__pycache__", "locale"}
# the keywords makemessages passes to xgettext for the "django" domain
KEYWORDS = [
    "--keyword=gettext_noop", "--keyword=gettext_lazy", "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2", "--keyword=npgettext:1c,2,3", "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


def _xgettext() -> str:
    path = shutil.which("xgettext")
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("xgettext (GNU gettext) is required on CI to check the catalogues")
        pytest.skip("xgettext (GNU gettext) is not installed: cannot extract the msgids")
    return path


def _sources() -> list[Path]:
    return sorted(
        p for p in SRC.rglob("*")
        if p.suffix in (".py", ".html", ".txt") and p.is_file()
        and not SKIP_DIRS.intersection(p.relative_to(SRC).parts)
        and (p.suffix == ".py" or "templates" in p.relative_to(SRC).parts)
    )


def _extract(tmp: Path) -> list[dict]:
    xgettext = _xgettext()
    inputs: list[str] = []
    for path in _sources():
        rel = path.relative_to(SRC)
        if path.suffix == ".py":
            inputs.append(str(path))
            continue
        content = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        out = tmp / f"{rel}.py"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(content, encoding="utf-8")
        inputs.append(str(out))
    files = tmp / "files.txt"
    files.write_text("\n".join(inputs), encoding="utf-8")
    pot = tmp / "django.pot"
    subprocess.run(
        [xgettext, "-d", "django", "--language=Python", *KEYWORDS, "--from-code=UTF-8",
         "--add-comments=Translators", "--no-wrap", "-o", str(pot),
         "-f", str(files)],
        check=True, capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    return [e for e in _po_entries(pot) if e["msgid"]] if pot.exists() else []


def _translated() -> dict[str, dict]:
    catalogues = [Path(p) for p in settings.LOCALE_PATHS] + sorted(SRC.glob("*/locale"))
    known: dict[str, dict] = {}
    for locale in catalogues:
        po = locale / "en" / "LC_MESSAGES" / "django.po"
        if po.exists():
            for e in _po_entries(po):
                if e["msgid"] and all(s.strip() for s in e["msgstr"].values()):
                    known.setdefault(_key(e), e)
    return known


def test_every_source_msgid_has_an_english_translation():
    with tempfile.TemporaryDirectory() as tmp:
        extracted = _extract(Path(tmp))
    assert len(extracted) > 500, "extraction found suspiciously few msgids"
    known = _translated()
    missing = sorted(
        (e.get("msgctxt") or "", e["msgid"]) for e in extracted if _key(e) not in known
    )
    assert missing == [], (
        f"{len(missing)} msgid(s) without an English translation: add them to the .po "
        "(makemessages -l en) and compilemessages"
    )
