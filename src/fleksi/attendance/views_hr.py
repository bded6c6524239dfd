"""HR's presensi pages (/presensi/sdm/): the offices' geofence (latitude, longitude, radius in
metres, no map) and leave days (cuti), entered one by one or imported from CSV
``nip,mulai,sampai,jenis`` (every row checked first; a bad file changes nothing). HTTP only."""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fleksi.core.errors import ApplicationError
from fleksi.core.http import add_form_errors, error_message, int_param, parse_id, web_errors
from fleksi.organisation import selectors as org_selectors
from fleksi.organisation import services as org_services
from fleksi.organisation.scoping import scope_for

from . import services
from .selectors_hr import leave_recent, offices_of

MAX_CSV_BYTES = 1_000_000


class GeofenceForm(forms.Form):
    latitude = forms.CharField(label=gettext_lazy("Lintang"), required=False, max_length=20,
                               help_text=gettext_lazy("mis. -6.175392"))
    longitude = forms.CharField(label=gettext_lazy("Bujur"), required=False, max_length=20,
                                help_text=gettext_lazy("mis. 106.827153"))
    radius_m = forms.IntegerField(label=gettext_lazy("Radius (meter)"), required=False, min_value=0)


class LeaveForm(forms.Form):
    nip = forms.CharField(label=gettext_lazy("NIP pegawai"), max_length=18)
    mulai = forms.DateField(label=gettext_lazy("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label=gettext_lazy("Sampai"), widget=forms.DateInput(attrs={"type": "date"}))
    jenis = forms.CharField(label=gettext_lazy("Jenis cuti"), max_length=60,
                            help_text=gettext_lazy("mis. cuti tahunan, cuti sakit"))


class LeaveImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas CSV (nip,mulai,sampai,jenis)"))


def _agency_id(request: HttpRequest) -> int:
    scope = scope_for(request.user)
    wanted = int_param(request, "instansi") or parse_id(request.POST.get("instansi"))
    managed = sorted(scope.admin_agency_ids)
    if wanted is not None and (wanted in scope.admin_agency_ids or scope.is_system_admin):
        return wanted
    if not managed:
        raise Http404
    return managed[0]


def _page(request: HttpRequest, agency_id: int, status: int = 200, **forms_: Any) -> HttpResponse:
    agency = org_selectors.agency_for_manager(actor=request.user, agency_id=agency_id)
    offices = offices_of(agency_id=agency_id)
    office_forms = forms_.pop("office_forms", {})
    rows = [
        (o, office_forms.get(o.pk) or GeofenceForm(prefix=f"kantor{o.pk}", initial={
            "latitude": o.latitude if o.latitude is not None else "",
            "longitude": o.longitude if o.longitude is not None else "",
            "radius_m": o.radius_m,
        }))
        for o in offices
    ]
    return render(
        request,
        "attendance/hr.html",
        {
            "agency": agency,
            "offices": rows,
            "leave_form": forms_.get("leave_form") or LeaveForm(prefix="cuti"),
            "import_form": forms_.get("import_form") or LeaveImportForm(prefix="impor"),
            "import_errors": forms_.get("import_errors") or [],
            "leave_days": leave_recent(agency_id=agency_id),
        },
        status=status,
    )


@login_required
@never_cache
@web_errors
def hr_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _agency_id(request))


def _back(agency_id: int, anchor: str) -> HttpResponse:
    return redirect(reverse("attendance:hr") + f"?instansi={agency_id}#{anchor}")


@login_required
@require_POST
@web_errors
def office_geofence(request: HttpRequest, office_id: int) -> HttpResponse:
    agency_id = _agency_id(request)
    form = GeofenceForm(request.POST, prefix=f"kantor{office_id}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            org_services.office_geofence_save(
                actor=request.user, agency_id=agency_id, office_id=office_id,
                latitude=data["latitude"], longitude=data["longitude"], radius_m=data["radius_m"],
            )
        except ApplicationError as exc:
            if exc.code in ("not_found", "permission_denied"):
                raise
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Lokasi kantor disimpan."))
            return _back(agency_id, f"kantor-{office_id}")
    return _page(request, agency_id, status=422, office_forms={office_id: form})


@login_required
@require_POST
@web_errors
def leave_add(request: HttpRequest) -> HttpResponse:
    agency_id = _agency_id(request)
    form = LeaveForm(request.POST, prefix="cuti")
    if form.is_valid():
        data = form.cleaned_data
        row = {"nip": data["nip"], "mulai": data["mulai"].isoformat(),
               "sampai": data["sampai"].isoformat(), "jenis": data["jenis"]}
        try:
            result = services.leave_import(actor=request.user, agency_id=agency_id, rows=[row])
        except ApplicationError as exc:
            if exc.code in ("not_found", "permission_denied"):
                raise
            errors = exc.details.get("errors") if isinstance(exc.details, dict) else None
            for text in errors or [error_message(exc)]:
                form.add_error(None, str(text))
        else:
            messages.success(request, _("Cuti dicatat.") if result.created else _("Cuti ini sudah tercatat."))
            return _back(agency_id, "cuti")
    return _page(request, agency_id, status=422, leave_form=form)


def read_leave_csv(raw: bytes) -> list[dict[str, str]]:
    """The rows of a leave CSV (UTF-8, with or without BOM; comma or semicolon)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(_("Berkas harus CSV dengan pengodean UTF-8.")) from None
    if "\x00" in text:
        raise ValueError(_("Berkas bukan CSV teks."))
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if header != services.LEAVE_HEADER:
        raise ValueError(_("Kepala kolom harus: nip,mulai,sampai,jenis"))
    rows = [{(k or "").strip().lower(): (v or "") for k, v in row.items() if k} for row in reader]
    if not rows:
        raise ValueError(_("Berkas tidak berisi baris cuti."))
    return rows


@login_required
@require_http_methods(["POST"])
@web_errors
def leave_import(request: HttpRequest) -> HttpResponse:
    agency_id = _agency_id(request)
    form = LeaveImportForm(request.POST, request.FILES, prefix="impor")
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            errors = [_("Berkas paling besar 1 MB.")]
        else:
            try:
                rows = read_leave_csv(upload.read())
                result = services.leave_import(actor=request.user, agency_id=agency_id, rows=rows)
            except ValueError as exc:
                errors = [str(exc)]
            except ApplicationError as exc:
                if exc.code in ("not_found", "permission_denied"):
                    raise
                found = exc.details.get("errors") if isinstance(exc.details, dict) else None
                errors = [error_message(exc), *(found or [])]
            else:
                messages.success(
                    request,
                    _("Impor cuti selesai: %(new)s baru, %(same)s sudah ada.")
                    % {"new": result.created, "same": result.unchanged},
                )
                return _back(agency_id, "cuti")
    return _page(request, agency_id, status=422, import_form=form, import_errors=errors)
