"""Employee import in the web UI: upload, preview of what will change, confirm.

1. The HR admin uploads a file; the import runs as a dry run and the page shows what would
   change (or every problem of the file).
2. The uploaded bytes wait under ``MEDIA_ROOT/imports/<token>.upload``, where ``token`` is a
   random value kept only in the admin's session together with the file's SHA-256, the agency
   and the time of the preview.
3. Confirming re-reads those bytes, checks the hash, and runs the full import again (every
   check repeats against the data as it is now); the file is deleted afterwards. When the
   import changes employees who are not in the file (a position's assessment), the confirm
   needs the ticked ``acknowledge`` box, else the preview is shown again (decision 072).

The page also offers a blank template (CSV or XLSX) with every column explained.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import parse_id, web_errors

from . import selectors
from .forms import ImportUploadForm
from .importing import ImportInvalid, ImportNeedsConfirmation, ImportReport, employees_import
from .importing.template import template_csv, template_xlsx
from .models import Agency
from .scoping import scope_for

SESSION_KEY = "fleksi_employee_import"
PENDING_MAX_AGE = 60 * 60  # seconds a preview stays confirmable
STALE_FILE_AGE = 24 * 60 * 60  # uploads left behind (abandoned previews) are removed after this
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


# ---- where the uploaded bytes wait between preview and confirm ----


def _upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _upload_path(token: str) -> Path | None:
    if not _TOKEN.match(token):
        return None
    return _upload_dir() / f"{token}.upload"


def _store(data: bytes) -> str:
    token = secrets.token_urlsafe(32)
    path = _upload_path(token)
    assert path is not None
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return token


def _remove_stale_uploads() -> None:
    limit = time.time() - STALE_FILE_AGE
    for path in _upload_dir().glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass  # removed meanwhile by another request


def _discard(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict):
        path = _upload_path(str(pending.get("token", "")))
        if path is not None:
            path.unlink(missing_ok=True)


def _pending_data(request: HttpRequest) -> tuple[dict[str, Any], bytes] | None:
    """The confirmed preview's session entry and bytes, if the token, age and hash match."""
    pending = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if not isinstance(pending, dict) or not hmac.compare_digest(
        token.encode(), str(pending.get("token", "")).encode()
    ):
        return None
    if time.time() - float(pending.get("created", 0)) > PENDING_MAX_AGE:
        return None
    path = _upload_path(token)
    if path is None or not path.is_file():
        return None
    data = path.read_bytes()
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), str(pending.get("sha256", ""))):
        return None
    return pending, data


# ---- the view ----


def _manageable_agencies(user: Any) -> QuerySet[Agency]:
    scope = scope_for(user)
    agencies = selectors.agency_list(actor=user)
    if not scope.is_system_admin:
        agencies = agencies.filter(pk__in=scope.admin_agency_ids)
    return agencies


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _problems_page(
    request: HttpRequest, form: ImportUploadForm, error: ImportInvalid, filename: str
) -> HttpResponse:
    lang = _lang()
    rows = [
        {"line": p.line, "column": p.column, "message": p.message(lang)} for p in error.problems
    ]
    warnings = [
        {"line": p.line, "column": p.column, "message": p.message(lang)} for p in error.warnings
    ]
    context = {"form": form, "problems": rows, "warnings": warnings, "filename": filename}
    return render(request, "organisation/import.html", context, status=422)


@login_required
@web_errors
def import_employees(request: HttpRequest) -> HttpResponse:
    agencies = _manageable_agencies(request.user)
    if not agencies.exists():
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "preview")
        if action == "confirm":
            return _confirm(request, agencies)
        if action == "cancel":
            _discard(request)
            messages.info(request, _("Impor dibatalkan; tidak ada data yang diubah."))
            return redirect("organisation:import")
        return _preview(request, agencies)
    return render(
        request, "organisation/import.html", {"form": ImportUploadForm(agencies=agencies)}
    )


def _preview(request: HttpRequest, agencies: QuerySet[Agency]) -> HttpResponse:
    chosen = request.POST.get("agency", "")
    chosen_id = parse_id(chosen)
    if chosen_id is not None and not agencies.filter(pk=chosen_id).exists():
        raise Http404  # another agency: as if it did not exist
    form = ImportUploadForm(request.POST, request.FILES, agencies=agencies)
    if not form.is_valid():
        return render(request, "organisation/import.html", {"form": form}, status=400)
    agency: Agency = form.cleaned_data["agency"]
    upload = form.cleaned_data["file"]
    filename = PurePath(upload.name or "pegawai.csv").name
    data = b"".join(upload.chunks())
    _discard(request)  # a new upload replaces any earlier preview
    _remove_stale_uploads()
    try:
        report = employees_import(
            actor=request.user, agency=agency, data=data, filename=filename, dry_run=True
        )
    except ImportInvalid as error:
        return _problems_page(request, ImportUploadForm(agencies=agencies), error, filename)
    token = ""
    if report.writes:
        token = _store(data)
        request.session[SESSION_KEY] = {
            "token": token,
            "sha256": report.sha256,
            "filename": filename,
            "agency_id": agency.pk,
            "created": time.time(),
        }
    return _render_preview(request, report, agency, token)


def _render_preview(
    request: HttpRequest,
    report: ImportReport,
    agency: Agency,
    token: str,
    *,
    confirmation_missing: bool = False,
) -> HttpResponse:
    lang = _lang()
    warnings = [
        {"line": p.line, "column": p.column, "message": p.message(lang)} for p in report.warnings
    ]
    context = {
        "report": report,
        "agency": agency,
        "token": token,
        "warnings": warnings,
        "confirmation_missing": confirmation_missing,
        "count_rows": [
            (
                _("Unit organisasi"),
                report.units_created,
                report.units_updated,
                report.units_unchanged,
            ),
            (
                _("Jabatan"),
                report.positions_created,
                report.positions_updated,
                report.positions_unchanged,
            ),
            (
                _("Pegawai"),
                report.employees_created,
                report.employees_updated,
                report.employees_unchanged,
            ),
        ],
    }
    status = 400 if confirmation_missing else 200
    return render(request, "organisation/import_preview.html", context, status=status)


def _confirm(request: HttpRequest, agencies: QuerySet[Agency]) -> HttpResponse:
    found = _pending_data(request)
    if found is None:
        _discard(request)
        messages.error(
            request,
            _("Pratinjau impor tidak ditemukan atau sudah kedaluwarsa; unggah berkas sekali lagi."),
        )
        return redirect("organisation:import")
    pending, data = found
    agency = agencies.filter(pk=int(pending.get("agency_id") or 0)).first()
    if agency is None:
        _discard(request)
        raise Http404
    filename = str(pending.get("filename", "pegawai.csv"))
    try:
        report = employees_import(
            actor=request.user,
            agency=agency,
            data=data,
            filename=filename,
            dry_run=False,
            allow_changes_outside_file=request.POST.get("acknowledge") == "1",
        )
    except ImportNeedsConfirmation as error:
        # Not confirmed: nothing saved; the same preview again, asking for the tick.
        return _render_preview(
            request, error.report, agency, str(pending["token"]), confirmation_missing=True
        )
    except ImportInvalid as error:
        # The data changed since the preview (e.g. a supervisor was removed): nothing saved.
        _discard(request)
        return _problems_page(request, ImportUploadForm(agencies=agencies), error, filename)
    except ApplicationError as error:
        if error.code != ErrorCode.CONFLICT:
            raise
        _discard(request)
        messages.error(request, error.message)
        return redirect("organisation:import")
    _discard(request)
    messages.success(
        request,
        _(
            "Impor %(file)s ke %(agency)s selesai: %(created)d pegawai baru, %(updated)d diubah, "
            "%(unchanged)d tetap; %(units)d unit baru, %(units_updated)d unit diubah; "
            "%(users)d akun baru."
        )
        % {
            "file": filename,
            "agency": agency.name,
            "created": report.employees_created,
            "updated": report.employees_updated,
            "unchanged": report.employees_unchanged,
            "units": report.units_created,
            "units_updated": report.units_updated,
            "users": report.users_created,
        },
    )
    return redirect("organisation:import")


# ---- the blank template ----

_TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@web_errors
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """``templat-pegawai.csv`` / ``.xlsx``: every column, an example row; the XLSX explains
    each column on a second sheet."""
    if fmt not in _TEMPLATE_TYPES or not _manageable_agencies(request.user).exists():
        raise Http404
    data = template_csv() if fmt == "csv" else template_xlsx("en" if _lang() == "en" else "id")
    disposition = content_disposition_header(True, f"templat-pegawai.{fmt}")
    response = HttpResponse(data, content_type=_TEMPLATE_TYPES[fmt])
    response["Content-Disposition"] = disposition or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
