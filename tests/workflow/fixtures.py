"""Fixtures of the request workflow tests: a fixed clock and a small two-agency world."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from fleksi.core import clock
from tests.factories import EmployeeFactory, UnitFactory, make_agency_role, make_head
from tests.workflow.helpers import TODAY, fresh


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    """Wednesday 18 November 2026, 10:00 WIB (requests go to week 2026-W48 and later)."""
    moment = dt.datetime.combine(TODAY, dt.time(3, 0), tzinfo=dt.UTC)
    state = {"now": moment}
    monkeypatch.setattr(clock, "now", lambda: state["now"])

    def move_to(day: dt.date, hour: int = 3) -> None:
        state["now"] = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)

    return move_to


@pytest.fixture
def world(db):
    """Agency A: root R (head HR) > unit U (head H) > sub-unit S (head HS); sibling unit V
    (head HV) under R. Employees E1, E2 in U (supervisor H), ES in S, EV in V; an HR admin
    and a PPK of A. Agency F (foreign): unit FU with head FH and employee FE."""
    root = UnitFactory(code="R")
    agency = root.agency
    unit = UnitFactory(agency=agency, parent=root, code="U")
    sub = UnitFactory(agency=agency, parent=unit, code="S")
    sibling = UnitFactory(agency=agency, parent=root, code="V")
    head_root = make_head(root)
    head = make_head(unit)
    head.supervisor = head_root
    head.save(update_fields=["supervisor"])
    head_sub = make_head(sub)
    head_sibling = make_head(sibling)
    e1 = EmployeeFactory(unit=unit, supervisor=head)
    e2 = EmployeeFactory(unit=unit, supervisor=head)
    es = EmployeeFactory(unit=sub, supervisor=head_sub)
    ev = EmployeeFactory(unit=sibling, supervisor=head_sibling)
    hr = make_agency_role(agency)
    ppk = make_agency_role(agency, role="ppk")
    foreign_unit = UnitFactory(code="FU")
    foreign_head = make_head(foreign_unit)
    foreign = EmployeeFactory(unit=foreign_unit, supervisor=foreign_head)
    foreign_hr = make_agency_role(foreign_unit.agency)
    return SimpleNamespace(
        agency=agency, root=root, unit=unit, sub=sub, sibling=sibling,
        head_root=head_root, head=head, head_sub=head_sub, head_sibling=head_sibling,
        e1=e1, e2=e2, es=es, ev=ev, hr=hr, ppk=ppk,
        foreign_agency=foreign_unit.agency, foreign_unit=foreign_unit, foreign_head=foreign_head,
        foreign=foreign, foreign_hr=foreign_hr,
        user=lambda employee: fresh(employee.user),
    )
