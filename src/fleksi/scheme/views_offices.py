"""Offices and permitted places of the agency settings area (add on their section, edit on
their own page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import add_form_errors, web_errors
from fleksi.organisation import services
from fleksi.organisation.forms import OfficeForm, PlaceForm

from . import selectors as scheme_selectors
from .views import _settings_page, section_url


def _pick(items: list[Any], item_id: int) -> Any:
    for item in items:
        if item.pk == item_id:
            return item
    raise Http404


def _office_or_place_view(
    request: HttpRequest, agency_id: int, item_id: int | None, *, kind: str
) -> HttpResponse:
    is_office = kind == "office"
    prefix = "kantor" if is_office else "lokasi"
    settings = scheme_selectors.agency_settings_get(actor=request.user, agency_id=agency_id)
    item = (
        _pick(settings.offices if is_office else settings.places, item_id)
        if item_id is not None
        else None
    )
    form_class = OfficeForm if is_office else PlaceForm
    if request.method != "POST":
        if item is None:
            return redirect(section_url(agency_id, prefix))
        form = form_class(
            prefix=prefix,
            initial={"name": item.name, "address": item.address, "is_active": item.is_active},
        )
        return render(
            request,
            "organisation/office_form.html",
            {"form": form, "agency": settings.agency, "item": item, "is_office": is_office},
        )
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        values = form.cleaned_data
        try:
            if is_office:
                services.office_save(
                    actor=request.user,
                    agency_id=agency_id,
                    office_id=item_id,
                    name=values["name"],
                    address=values["address"],
                    is_active=values["is_active"],
                )
            else:
                services.place_save(
                    actor=request.user,
                    agency_id=agency_id,
                    place_id=item_id,
                    name=values["name"],
                    address=values["address"],
                    is_active=values["is_active"],
                )
        except ApplicationError as exc:
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                raise
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Kantor disimpan.") if is_office else _("Lokasi disimpan."))
            return redirect(section_url(agency_id, prefix))
    if item is not None:
        return render(
            request,
            "organisation/office_form.html",
            {"form": form, "agency": settings.agency, "item": item, "is_office": is_office},
            status=422,
        )
    return _settings_page(
        request,
        agency_id,
        status=422,
        section=prefix,
        **{"office_form" if is_office else "place_form": form},
    )


@login_required
@web_errors
def office_edit(request: HttpRequest, agency_id: int, office_id: int | None = None) -> HttpResponse:
    return _office_or_place_view(request, agency_id, office_id, kind="office")


@login_required
@web_errors
def place_edit(request: HttpRequest, agency_id: int, place_id: int | None = None) -> HttpResponse:
    return _office_or_place_view(request, agency_id, place_id, kind="place")
