"""Pages of attendance: the phone page (/presensi/), its service worker and manifest, and the
head's board (/presensi/unit/). HTTP only: the check-ins themselves go through the API
(``api.py``), from the page's offline queue (docs/decisions/120-123)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fleksi.core import clock
from fleksi.core.http import int_param, web_errors
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation.scoping import scope_for

from . import selectors, views_corrections

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
SW_SOURCE = "fleksi/attendance/sw.js"
SHELL_ASSETS = (
    "fleksi/fleksi.css",
    "fleksi/attendance/presensi.css",
    "fleksi/attendance/presensi.js",
    "django_htmx/htmx-2.min.js",
    "fleksi/favicon.svg",
    "fleksi/attendance/icon.svg",
    "fleksi/attendance/icon-192.png",
)
PLACES = ("kantor", "kantor_lain", "rumah", "lokasi_lain")


def _page_texts() -> dict[str, Any]:
    """The words the page's script shows (translated here, in the catalogue)."""
    return {
        "buttons": {"in": _("Presensi masuk"), "out": _("Presensi pulang")},
        "kinds": {"in": _("Masuk"), "out": _("Pulang")},
        "places": _place_labels(),
        "states": {"menunggu": _("menunggu"), "terkirim": _("terkirim"), "ditolak": _("ditolak")},
        "flags": {
            "synced_late": _("terkirim terlambat"),
            "clock_skew": _("jam perangkat tidak tepat"),
            "no_location": _("tanpa lokasi"),
            "outside_office": _("di luar kantor"),
            "deviation": _("tempat berbeda dari rencana"),
        },
        "locating": _("Mencari lokasi (paling lama 10 detik)…"),
        "sending": _("Mengirim…"),
        "queued": _("Tidak ada jaringan: presensi disimpan di perangkat ini dan dikirim otomatis saat jaringan kembali."),
        "sent": _("Presensi terkirim."),
        "serverBusy": _("Server belum dapat dihubungi: presensi tetap disimpan dan dikirim lagi nanti."),
        "loginAgain": _("Sesi Anda berakhir: masuk lagi agar presensi yang menunggu terkirim."),
        "conflict": _("Kunci presensi ini sudah dipakai untuk data lain."),
        "rejected": _("Ditolak server."),
        "discard": _("Hapus"),
        "offline": _("Anda sedang luring. Presensi tetap bisa dicatat dan dikirim nanti."),
        "others": _("%(n)s presensi pengguna lain menunggu di perangkat ini; terkirim saat orang itu masuk."),
        "waiting": _("%(n)s presensi menunggu dikirim."),
        "storageError": _("Penyimpanan perangkat tidak tersedia: presensi tidak dapat disimpan."),
        "logoutWarn": _("%(n)s presensi di perangkat ini belum terkirim. Tetap keluar? Presensi itu tetap disimpan dan terkirim saat pemiliknya masuk lagi."),
    }


def _place_labels() -> dict[str, str]:
    return {
        "kantor": _("Kantor penempatan"),
        "kantor_lain": _("Kantor lain"),
        "rumah": _("Rumah / domisili terdaftar"),
        "lokasi_lain": _("Lokasi lain"),
    }


def _hours_text(minutes: int | None) -> str:
    if minutes is None:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if rest:
        return _("%(h)s jam %(m)s menit") % {"h": hours, "m": rest}
    return _("%(h)s jam") % {"h": hours}


@login_required
@never_cache
@require_GET
@web_errors
def check_in_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.employee_id is None:
        if scope.is_head or scope.admin_agency_ids or scope.is_system_admin:
            return redirect("attendance:unit_board")
        raise PermissionDenied(_("Presensi hanya untuk pegawai."))
    today = selectors.attendance_today(actor=request.user)
    rows = [
        {
            "key": str(c.idempotency_key),
            "kind": c.kind,
            "location": c.location,
            "client_time": c.client_time.isoformat(),
            "flags": list(c.flags or []),
        }
        for c in today.check_ins
    ]
    api_root = reverse("api:api-root")
    data = {
        "user_id": request.user.pk,
        "api_url": api_root + "attendance/check-ins",
        "me_url": api_root + "me",
        "logout_url": reverse("accounts:logout"),
        "sw_url": reverse("attendance:service_worker"),
        "scope": reverse("attendance:check_in"),
        "today": rows,
        "next_kind": str(today.next_kind),
        "time_sep": ":" if (get_language() or "id").startswith("en") else ".",
        "texts": _page_texts(),
    }
    return render(
        request,
        "attendance/check_in.html",
        {
            "today": today,
            "default_place": today.planned_location or "kantor",
            "places": list(_place_labels().items()),
            "week_text": _hours_text(today.week_minutes),
            "week_required_text": _hours_text(today.week_required),
            "page_data": data,
        },
    )


@cache
def _sw_source() -> str:
    return (STATIC_DIR / SW_SOURCE).read_text(encoding="utf-8")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker at /presensi/sw.js so that its scope is /presensi/. Its cache name
    changes with its own text and the (hashed) asset URLs, so a new release replaces it."""
    shell = [static(name) for name in SHELL_ASSETS] + [reverse("attendance:manifest")]
    page = reverse("attendance:check_in")
    source = _sw_source()
    version = hashlib.sha256((source + "|".join(shell)).encode()).hexdigest()[:12]
    prelude = (
        f"var VERSION = {json.dumps(version)};\n"
        f"var PAGE = {json.dumps(page)};\n"
        f"var SHELL = {json.dumps(shell)};\n"
    )
    response = HttpResponse(prelude + source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = page
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    page = reverse("attendance:check_in")
    body = {
        "name": "Fleksi Presensi",
        "short_name": "Presensi",
        "description": _("Presensi masuk dan pulang, juga saat tidak ada jaringan."),
        "lang": get_language() or "id",
        "start_url": page,
        "scope": page,
        "id": page,
        "display": "standalone",
        "background_color": "#f6f8f7",
        "theme_color": "#0b5d4b",
        "icons": [
            {"src": static("fleksi/attendance/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("fleksi/attendance/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("fleksi/attendance/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


def _board_units(request: HttpRequest) -> list[Any]:
    """The units whose board the actor may open: a head's subtree, HR's whole agency."""
    scope = scope_for(request.user)
    units = list(org_selectors.unit_list(actor=request.user))
    if scope.everything:
        return units
    return [
        u
        for u in units
        if u.agency_id in scope.admin_agency_ids
        or any(u.path.startswith(p) for p in scope.head_unit_paths)
    ]


def _day_param(request: HttpRequest) -> dt.date:
    raw = request.GET.get("tanggal", "").strip()
    try:
        return dt.date.fromisoformat(raw) if raw else clock.today()
    except ValueError:
        return clock.today()


@login_required
@never_cache
@require_GET
@web_errors
def unit_board(request: HttpRequest) -> HttpResponse:
    units = _board_units(request)
    unit_id = int_param(request, "unit")
    if unit_id is None:
        if not units:
            raise Http404
        scope = scope_for(request.user)
        heads = [u for u in units if u.pk in scope.head_unit_ids]
        unit_id = (heads or units)[0].pk
    day = _day_param(request)
    board = selectors.unit_board(actor=request.user, unit_id=unit_id, day=day)
    zone = ZoneInfo(board.unit.time_zone or board.unit.agency.time_zone or "Asia/Jakarta")
    places = _place_labels()
    flags = _page_texts()["flags"] | {
        "no_check_out": _("tidak presensi pulang"),
        "no_check_in": _("tidak presensi (hari fleksibel)"),
    }
    statuses = {
        "present_office": _("hadir di kantor"),
        "present_flexible": _("hadir (kerja fleksibel)"),
        "absent": _("tidak hadir"),
        "leave": _("cuti"),
        "holiday": _("hari libur"),
        "non_working": _("bukan hari kerja"),
        selectors.BOARD_MISSING: _("belum presensi"),
    }

    def shown(row: Any) -> dict[str, Any]:
        return {
            "name": row.name,
            "nip": row.nip,
            "planned": places.get(row.planned_location, ""),
            "status": statuses.get(row.status, ""),
            "missing": row.missing,
            "first_in": f"{row.first_in.astimezone(zone):%H.%M}" if row.first_in else "",
            "where": places.get(row.first_in_location, ""),
            "last_out": f"{row.last_out.astimezone(zone):%H.%M}" if row.last_out else "",
            "worked": _hours_text(row.worked_minutes) if row.worked_minutes else "",
            "flags": [flags.get(f, f) for f in row.flags],
            "warn": any(f in row.flags for f in ("deviation", "outside_office", "synced_late")),
        }

    return render(
        request,
        "attendance/unit_board.html",
        {
            "board": board,
            "units": units,
            "unit_id": unit_id,
            "day": day,
            "is_today": day == clock.today(),
            "corrections": views_corrections.board_corrections(request, board.unit),
            "here": request.get_full_path(),
            "missing": [shown(r) for r in board.missing],
            "checked_in": [shown(r) for r in board.checked_in],
            "others": [shown(r) for r in board.rows if r.first_in is None and not r.missing],
            "counts": [
                (_("Sudah presensi"), len(board.checked_in)),
                (_("Belum presensi"), len(board.missing)),
                (_("Tempat berbeda dari rencana"), len(board.deviations)),
                (_("Terkirim terlambat"), len(board.synced_late)),
                (_("Di luar kantor"), len(board.outside_office)),
            ],
        },
    )
