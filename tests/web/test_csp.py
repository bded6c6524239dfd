"""The Content-Security-Policy (ASVS V14.4) and the templates it relies on.

The policy allows scripts and styles from the site only, with no inline code, so every
template must be free of <script> blocks, on*= handlers, style="..." attributes, <style>
blocks and htmx's hx-on (which evaluates code). A failure names the template and line: move
the code into src/fleksi/static/fleksi/ (a data- attribute and fleksi.js for behaviour).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

import fleksi

ROOT = Path(fleksi.__file__).resolve().parent

INLINE = [
    # json_script's data blocks (type="application/json") are not run, and CSP allows them
    ("an inline <script> block (no src=)",
     re.compile(r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)),
    ("an inline event handler (on...=)", re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)),
    ("a style= attribute", re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S)),
    ("a <style> block", re.compile(r"<style\b", re.I)),
    ("an htmx hx-on attribute", re.compile(r"\s(?:data-)?hx-on", re.I)),
    ("a javascript: URL", re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)),
]


def templates() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.html") if "templates" in p.parts)


def inline_code(text: str) -> list[tuple[int, str]]:
    found = []
    for what, pattern in INLINE:
        for m in pattern.finditer(text):
            found.append((text.count("\n", 0, m.start()) + 1, what))
    return found


def test_the_scan_finds_what_it_looks_for():
    assert [w for _, w in inline_code('<select onchange="x()">')] == ["an inline event handler (on...=)"]
    assert inline_code('<div\n  style="color:red">')[0] == (1, "a style= attribute")
    assert inline_code("<script>alert(1)</script>")
    assert not inline_code('<script src="/static/a.js" defer></script><a data-onx="1" class="x">')
    assert not inline_code('<script id="d" type="application/json">{"a": 1}</script>')
    assert inline_code('<button hx-on:click="x()">')


def test_no_template_carries_inline_script_or_style():
    files = templates()
    assert len(files) > 30
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in files
        for line, what in inline_code(path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "inline code the Content-Security-Policy blocks:\n" + "\n".join(problems)


def test_htmx_is_told_not_to_inject_its_indicator_styles():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'", base)
    assert meta and '"includeIndicatorStyles": false' in meta.group(1)
    assert base.index("htmx-config") < base.index("{% htmx_script %}")


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def test_both_settings_files_set_the_strict_policy():
    from fleksi.config import settings as dev
    from fleksi.config import settings_production as prod

    for module in (dev, prod):
        directives = module.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        for name, values in EXPECTED.items():
            assert list(directives[name]) == values, (module.__name__, name)
        assert not any("unsafe" in v for values in directives.values() if isinstance(values, list) for v in values)
        assert "csp.middleware.CSPMiddleware" in module.MIDDLEWARE
    assert prod.CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] is True
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]


PAGES = [
    ("e1", "/"), ("e1", "/kerja-fleksibel/pengajuan/baru/"), ("e1", "/kerja-fleksibel/"),
    ("e1", "/presensi/"), ("e1", "/kerja-fleksibel/kalender-saya/"), ("e1", "/akun/saya/"),
    ("e1", "/akun/token/"), ("e1", "/kerja-fleksibel/notifikasi/"),
    ("head", "/kerja-fleksibel/persetujuan/"), ("head", "/kerja-fleksibel/kalender/"),
    ("head", "/organisasi/pegawai/"), ("head", "/rencana/"), ("head", "/presensi/unit/"),
    ("hr", "/organisasi/impor/"), ("hr", "/organisasi/unit/"), ("hr", "/kerja-fleksibel/pengaturan/"),
    (None, "/akun/masuk/"),
]


@pytest.mark.django_db
def test_pages_carry_the_policy_and_no_inline_code(world):
    users = {"e1": world.e1.user, "head": world.head.user, "hr": world.hr}
    seen = 0
    for who, url in PAGES:
        client = Client()
        if who:
            client.force_login(users[who])
        response = client.get(url, follow=True)
        if response.status_code == 404:
            continue  # a page renamed on another branch: the template scan above still holds
        assert response.status_code == 200, (who, url, response.status_code)
        header = response.headers["Content-Security-Policy"]
        directives = _directives(header)
        for name, values in EXPECTED.items():
            assert directives[name] == values, (url, header)
        assert inline_code(response.content.decode()) == [], url
        seen += 1
    assert seen >= 8
