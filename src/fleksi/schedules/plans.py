"""TODO docstring."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation.models import Employee, OrgUnit
from fleksi.organisation.scoping import scope_for
from fleksi.policy.calendar import week_label
from fleksi.policy.check import CheckResult, check_plan
from fleksi.policy.formats import read_plan, write_plan_template_xlsx
from fleksi.policy.model import EmployeeFacts, Finding, UnitFacts
from fleksi.policy.problems import Problem
from fleksi.scheme.facts import agency_policy, employee_facts, unit_facts

MAX_PLAN_BYTES = 20 * 1024 * 1024


@dataclass
class PlanCheck:
    unit: OrgUnit
    result: CheckResult
    names: dict[str, str]
    warnings: list[Problem] = field(default_factory=list)

    def by_employee(self) -> list[tuple[str, str, list[Finding]]]:
        """(nip, name, findings) for employees with findings; unit findings last under ""."""
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.result.findings:
            groups[finding.nip or ""].append(finding)
        ordered = sorted(
            groups.items(), key=lambda item: (item[0] == "", self.names.get(item[0], ""), item[0])
        )
        return [(nip, self.names.get(nip, ""), items) for nip, items in ordered]

    def by_day(self) -> list[tuple[str, list[Finding]]]:
        """(date or week label, findings), in date order; week findings under their week."""
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.result.findings:
            key = finding.date.isoformat() if finding.date else (finding.week or "")
            groups[key].append(finding)
        return sorted(groups.items())


def _plannable_unit(actor: Any, unit_id: int) -> OrgUnit:
    """The unit if the actor may plan for it: its head (or Plt/Plh), HR admin/PPK, system admin."""
    scope = scope_for(actor)
    unit = OrgUnit.objects.select_related("agency").filter(pk=unit_id).first()
    if unit is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Unit organisasi tidak ditemukan."))
    allowed = scope.can_manage_agency(unit.agency_id) or any(
        unit.path.startswith(path) for path in scope.head_unit_paths
    )
    if not allowed:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Unit organisasi tidak ditemukan."))
    return unit


def plannable_units(*, actor: Any) -> list[OrgUnit]:
    """Units the actor may check plans for, in tree order (one query)."""
    scope = scope_for(actor)
    qs = OrgUnit.objects.select_related("agency")
    if scope.is_system_admin:
        return list(qs.order_by("agency__name", "path"))
    from django.db.models import Q

    cond = Q(agency_id__in=scope.admin_agency_ids)
    for path in scope.head_unit_paths:
        cond |= Q(path__startswith=path)
    if not scope.admin_agency_ids and not scope.head_unit_paths:
        return []
    return list(qs.filter(cond).order_by("agency__name", "path"))


def _unit_people(unit: OrgUnit) -> tuple[list[EmployeeFacts], dict[str, str], dict[str, UnitFacts]]:
    employees = list(
        Employee.objects.filter(unit__path__startswith=unit.path, is_active=True).select_related(
            "unit", "position", "agency"
        )
    )
    units = unit_facts(unit, subtree=True)
    return [employee_facts(e) for e in employees], {e.nip: e.name for e in employees}, units


def plan_check_for_unit(*, actor: Any, unit_id: int, data: bytes, filename: str) -> PlanCheck:
    """Read a plan for the unit (and its sub-units) and run every rule over it."""
    unit = _plannable_unit(actor, unit_id)
    if not data:
        raise ApplicationError(ErrorCode.VALIDATION, _("Berkas rencana kosong."))
    if len(data) > MAX_PLAN_BYTES:
        raise ApplicationError(
            ErrorCode.VALIDATION, _("Berkas rencana terlalu besar (paling besar 20 MB).")
        )
    facts, names, units = _unit_people(unit)
    read = read_plan(data, filename, known_nips=set(names))
    if read.problems:
        raise ApplicationError(
            ErrorCode.IMPORT_INVALID,
            _("Berkas rencana ditolak: %(n)d masalah. Perbaiki semuanya lalu unggah lagi.")
            % {"n": len(read.problems)},
            details={
                "problems": [
                    {
                        "file": p.file,
                        "line": p.line,
                        "column": p.column,
                        "message": p.message("id"),
                        "message_en": p.message("en"),
                    }
                    for p in read.problems
                ]
            },
        )
    result = check_plan(facts, read.rows, agency_policy(unit.agency), units=units)
    return PlanCheck(unit=unit, result=result, names=names, warnings=list(read.warnings))


def plan_template_for_unit(*, actor: Any, unit_id: int, week_start: dt.date) -> tuple[str, bytes]:
    """A filled-in XLSX plan for the unit's employees for the ISO week of `week_start`."""
    unit = _plannable_unit(actor, unit_id)
    facts, names, _units = _unit_people(unit)
    monday = week_start - dt.timedelta(days=week_start.weekday())
    data = write_plan_template_xlsx(facts, monday, policy=agency_policy(unit.agency), names=names)
    return f"rencana-{unit.code}-{week_label(monday)}.xlsx", data


def max_upload_bytes() -> int:
    return int(getattr(settings, "FLEKSI_IMPORT_MAX_BYTES", MAX_PLAN_BYTES))
