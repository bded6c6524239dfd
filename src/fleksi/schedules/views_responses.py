"""Pages of the answers to a published schedule (issue 11, docs/decisions/200): the
employee's part with Konfirmasi and "Ajukan perubahan", and the head's page of the
confirmations and change requests of one schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.http import error_message, web_errors
from fleksi.organisation.scoping import scope_for

from . import change_requests, responses
from .models import LocationKind


class ChangeForm(forms.Form):
    dates = forms.MultipleChoiceField(
        label=gettext_lazy("Tanggal yang ingin diubah"), widget=forms.CheckboxSelectMultiple
    )
    location_kind = forms.ChoiceField(
        label=gettext_lazy("Tempat kerja yang diinginkan"), choices=LocationKind.choices
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=responses.MIN_REASON,
        max_length=responses.MAX_REASON,
    )

    def __init__(self, *args: Any, part: responses.MyPart, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from fleksi.core.humanize import day_text

        dates = self.fields["dates"]
        assert isinstance(dates, forms.MultipleChoiceField)
        dates.choices = [(d.isoformat(), day_text(d)) for d in part.workdays()]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    note = forms.CharField(required=False, max_length=responses.MAX_REASON)


def _my_page(
    request: HttpRequest, schedule_id: int, *, form: ChangeForm | None = None,
    findings: list[dict[str, Any]] | None = None, status: int = 200,
) -> HttpResponse:
    part = responses.my_schedule_get(actor=request.user, schedule_id=schedule_id)
    return render(
        request,
        "schedules/my_schedule.html",
        {
            "part": part,
            "form": form or ChangeForm(part=part),
            "findings": findings or [],
        },
        status=status,
    )


@login_required
@require_GET
@web_errors
def my_schedules(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).employee_id is None:
        raise Http404
    return render(
        request, "schedules/my_schedules.html", {"parts": responses.my_schedules(actor=request.user)}
    )


@login_required
@web_errors
def my_schedule(request: HttpRequest, schedule_id: int) -> HttpResponse:
    """GET: the employee's part; POST: Konfirmasi."""
    if request.method != "POST":
        return _my_page(request, schedule_id)
    try:
        confirmation = responses.schedule_confirm(actor=request.user, schedule_id=schedule_id)
    except ApplicationError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            raise
        messages.error(request, error_message(exc))
        return _my_page(
            request, schedule_id, findings=(exc.details or {}).get("findings", []), status=exc.status
        )
    messages.success(
        request,
        _("Jadwal dikonfirmasi: %(n)d hari kerja kini berlaku.") % {"n": confirmation.days_written},
    )
    return redirect("schedules:my_schedule", schedule_id=schedule_id)


@login_required
@require_POST
@web_errors
def change_create(request: HttpRequest, schedule_id: int) -> HttpResponse:
    part = responses.my_schedule_get(actor=request.user, schedule_id=schedule_id)
    form = ChangeForm(request.POST, part=part)
    if form.is_valid():
        data = change_requests.ChangeInput(
            dates=tuple(dt.date.fromisoformat(d) for d in form.cleaned_data["dates"]),
            location_kind=form.cleaned_data["location_kind"],
            reason=form.cleaned_data["reason"],
        )
        try:
            change_requests.change_request_create(actor=request.user, schedule_id=schedule_id, data=data)
        except ApplicationError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                raise
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, _("Permintaan perubahan dikirim ke pimpinan unit."))
            return redirect("schedules:my_schedule", schedule_id=schedule_id)
    return _my_page(request, schedule_id, form=form, status=422)


@login_required
@require_POST
@web_errors
def change_cancel(request: HttpRequest, change_id: int) -> HttpResponse:
    change = change_requests.change_request_get(actor=request.user, change_id=change_id)
    try:
        change_requests.change_request_cancel(actor=request.user, change_id=change_id)
    except ApplicationError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            raise
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("Permintaan perubahan dibatalkan."))
    return redirect("schedules:my_schedule", schedule_id=change.schedule_id)


def _responses_page(
    request: HttpRequest, schedule_id: int, *, findings: list[dict[str, Any]] | None = None,
    failed: int | None = None, status: int = 200,
) -> HttpResponse:
    view = responses.schedule_responses(actor=request.user, schedule_id=schedule_id)
    return render(
        request,
        "schedules/schedule_responses.html",
        {"view": view, "findings": findings or [], "failed": failed},
        status=status,
    )


@login_required
@require_GET
@web_errors
def schedule_responses(request: HttpRequest, schedule_id: int) -> HttpResponse:
    return _responses_page(request, schedule_id)


@login_required
@require_POST
@web_errors
def change_decide(request: HttpRequest, change_id: int) -> HttpResponse:
    change = change_requests.change_request_get(actor=request.user, change_id=change_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau tolak."))
        return _responses_page(request, change.schedule_id, status=422)
    try:
        if form.cleaned_data["decision"] == "approve":
            change_requests.change_request_approve(
                actor=request.user, change_id=change_id, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Perubahan jadwal disetujui; hari kerja pegawai diperbarui."))
        else:
            change_requests.change_request_reject(
                actor=request.user, change_id=change_id, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Permintaan perubahan ditolak; pegawai diberi tahu."))
    except ApplicationError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            raise
        messages.error(request, error_message(exc))
        return _responses_page(
            request, change.schedule_id, findings=(exc.details or {}).get("findings", []),
            failed=change.pk, status=exc.status,
        )
    return redirect("schedules:schedule_responses", schedule_id=change.schedule_id)
