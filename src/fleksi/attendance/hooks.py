"""Checks another app adds to the check-out without attendance importing it (issue 9).

Apps above attendance in the layers (performance: "a daily log is required before check-out
on a flexible day") register a function here from their ``AppConfig.ready``; the check-out
calls them inside its transaction and a check raises ``ApplicationError`` to refuse it.
Registration is idempotent (by function), so reloading an app does not double it.
docs/decisions/143.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

CheckOutCheck = Callable[..., None]
_CHECK_OUT_CHECKS: list[CheckOutCheck] = []


def register_check_out_check(check: CheckOutCheck) -> None:
    """Add ``check(*, employee, work_date, flexible)``: raise ApplicationError to refuse."""
    if check not in _CHECK_OUT_CHECKS:
        _CHECK_OUT_CHECKS.append(check)


def unregister_check_out_check(check: CheckOutCheck) -> None:
    if check in _CHECK_OUT_CHECKS:
        _CHECK_OUT_CHECKS.remove(check)


def run_check_out_checks(*, employee: Any, work_date: dt.date, flexible: bool) -> None:
    for check in list(_CHECK_OUT_CHECKS):
        check(employee=employee, work_date=work_date, flexible=flexible)
