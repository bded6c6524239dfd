"""Pages of monitoring under /pemantauan/: the dashboard per scope (unit subtree, agency,
national) with its filters, every chart as SVG with its table and CSV; the evaluation report
(start, progress polled by htmx, download); the readiness self-report; the IKM import.
HTTP only: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fleksi.core import clock, jobs
from fleksi.core.errors import ApplicationError
from fleksi.core.http import error_message, web_errors
from fleksi.organisation.scoping import scope_for
from fleksi.organisation.selectors import population_units
from fleksi.policy import LocationKind

from . import services
from .charts import chart_svg
from .forms import ReadinessForm, ReportForm, ServiceImportForm
from .inputs import parse_filters
from .models import ReportStatus
from .population import (
    Population,
    ScopeKind,
    monitoring_roles,
    population_for,
    report_get,
    report_list,
)
from .selectors import summary
from .views_common import csv_response, find_table


def _default_scope(request: HttpRequest) -> str:
    kinds = monitoring_roles(scope_for(request.user))
    for kind in (ScopeKind.UNIT, ScopeKind.AGENCY, ScopeKind.NATIONAL):
        if kind in kinds and not (kind == ScopeKind.UNIT and not scope_for(request.user).head_unit_ids):
            return kind.value
    for kind in (ScopeKind.AGENCY, ScopeKind.NATIONAL):
        if kind in kinds:
            return kind.value
    raise Http404


def _population(request: HttpRequest, params: Any) -> tuple[Population, Any]:
    if "unit" in params:  # the filter's unit select: a unit, or "" for the whole agency
        params = params.copy()
        unit = str(params.pop("unit")[-1] if hasattr(params, "getlist") else params.pop("unit"))
        if unit:
            params["scope"], params["id"] = "unit", unit
        elif params.get("agency"):
            params["scope"], params["id"] = "agency", params["agency"]
    filters = parse_filters(params, default_scope=_default_scope(request))
    pop = population_for(
        actor=request.user, kind=filters.scope, target_id=filters.target_id,
        start=filters.start, end=filters.end, today=clock.today(),
    )
    return pop, filters


def _unit_choices(request: HttpRequest, pop: Population) -> list[tuple[int, str, int]]:
    """Units the filter offers: the agency's tree for its managers, the subtree for heads."""
    if pop.national or pop.agency is None:
        return []
    scope = scope_for(request.user)
    units = population_units(agency_ids=[pop.agency.pk])
    if not (scope.is_system_admin or scope.can_manage_agency(pop.agency.pk)):
        from django.db.models import Q

        cond = Q(pk__in=[])
        for path in scope.head_unit_paths:
            cond |= Q(path__startswith=path)
        units = units.filter(cond)
    return list(units.order_by("path").values_list("pk", "name", "depth")[:500])


@login_required
@web_errors
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        pop, filters = _population(request, request.GET)
    except ApplicationError as exc:
        if exc.status != 422:
            raise
        messages.error(request, error_message(exc))
        return redirect("monitoring:dashboard")
    sections = summary(pop, location=filters.location, before_after_weeks=filters.weeks, before_after_start=filters.since)
    blocks = [
        {
            "section": section,
            "tables": [
                {
                    "table": table,
                    "rows": table.shown_rows(suppress=pop.national),
                    "chart": chart_svg(table, suppress=pop.national),
                }
                for table in section.tables
            ],
        }
        for section in sections
    ]
    query = request.GET.copy()
    query.pop("table", None)
    scope = scope_for(request.user)
    kinds = monitoring_roles(scope)
    context = {
        "pop": pop,
        "filters": filters,
        "blocks": blocks,
        "query": query.urlencode(),
        "units": _unit_choices(request, pop),
        "locations": [(k.value, k.label("id")) for k in LocationKind],
        "can_agency": ScopeKind.AGENCY in kinds,
        "can_national": ScopeKind.NATIONAL in kinds,
        "can_unit": bool(scope.head_unit_ids) or ScopeKind.AGENCY in kinds,
        "can_whole_agency": pop.agency is not None and scope.can_manage_agency(pop.agency.pk),
        "reports": report_list(actor=request.user, pop=pop, limit=10) if not pop.national else [],
        "report_form": ReportForm(),
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
@web_errors
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    try:
        pop, filters = _population(request, request.GET)
    except ApplicationError as exc:
        if exc.status != 422:
            raise
        return HttpResponse(error_message(exc), status=400, content_type="text/plain; charset=utf-8")
    sections = summary(pop, location=filters.location, before_after_weeks=filters.weeks, before_after_start=filters.since)
    return csv_response(find_table(sections, str(request.GET.get("table") or "")), pop)


@login_required
@require_POST
@web_errors
def report_start(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa isian laporan."))
        return redirect("monitoring:dashboard")
    try:
        pop, _filters = _population(request, request.POST)
        if pop.national:
            raise Http404
        report = services.report_start(
            actor=request.user, pop=pop, format=form.cleaned_data["format"],
            conclusions=form.cleaned_data["conclusions"], recommendations=form.cleaned_data["recommendations"],
        )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, error_message(exc))
        return redirect("monitoring:dashboard")
    return redirect("monitoring:report", report_id=report.pk)


@login_required
@web_errors
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_get(actor=request.user, report_id=report_id)
    template = "monitoring/_report_status.html" if request.headers.get("HX-Request") else "monitoring/report.html"
    return render(request, template, {"report": report, "done": report.status == ReportStatus.DONE,
                                      "polling": report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING),
                                      "stopped": report.error == jobs.STALE_MESSAGE_ID})


@login_required
@web_errors
def report_download(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_get(actor=request.user, report_id=report_id)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    response = FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1])
    return response  # type: ignore[return-value]  # a streaming response, served as a page's


@login_required
@require_http_methods(["GET", "POST"])
@web_errors
def readiness(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.employee_id is None:
        raise Http404
    form = ReadinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.readiness_submit(
            actor=request.user, equipment=int(form.cleaned_data["equipment"]),
            connection=int(form.cleaned_data["connection"]), workspace=int(form.cleaned_data["workspace"]),
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Terima kasih, laporan kesiapan bulan ini tersimpan."))
        return redirect("monitoring:readiness")
    return render(request, "monitoring/readiness.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@web_errors
def service_import(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    agency_ids = sorted(scope.admin_agency_ids)
    if not agency_ids:
        raise Http404
    form = ServiceImportForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = services.service_import(
                actor=request.user, agency_id=agency_ids[0], content=form.cleaned_data["file"].read()
            )
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
            errors = list((exc.details or {}).get("errors", []))
        else:
            messages.success(request, _("%(n)s baris IKM dan pengaduan tersimpan.") % {"n": count})
            return redirect("monitoring:service_import")
    return render(request, "monitoring/service_import.html", {"form": form, "errors": errors})
