"""The check-out rule: a daily log before check-out on a flexible day (agency setting, on
by default). Registered with attendance's hook in ``apps.PerformanceConfig.ready``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from fleksi.core.errors import ApplicationError, ErrorCode

from .selectors import log_missing_before_check_out


def log_before_check_out(*, employee: Any, work_date: dt.date, flexible: bool) -> None:
    if log_missing_before_check_out(employee=employee, work_date=work_date, flexible=flexible):
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _(
                "Isi laporan harian (apa yang Anda kerjakan hari ini) sebelum presensi pulang: "
                "instansi Anda mewajibkannya pada hari kerja fleksibel."
            ),
            {"reason": "log_required", "date": work_date.isoformat(), "url": "/kinerja/"},
        )
