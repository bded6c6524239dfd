"""The demo's monitoring data, through the monitoring app's services: the HR admin imports
four months of IKM and complaints per unit (the same CSV HR would upload), and most
employees file this month's readiness self-report."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from fleksi.monitoring.services import readiness_submit, service_import


def load_demo_monitoring(agency: Any, today: dt.date, hr: Any, say: Callable[[str], None], seed: int = 2026) -> None:
    from fleksi.accounts.models import User
    from fleksi.organisation.models import OrgUnit

    rng = random.Random(seed)  # noqa: S311 - demo figures, not secrets
    months = []
    first = today.replace(day=1)
    for back in range(4):
        year, month = first.year, first.month - back
        while month < 1:
            year, month = year - 1, month + 12
        months.append(f"{year:04d}-{month:02d}")
    lines = ["unit_kode,periode,ikm,pengaduan"]
    for code in OrgUnit.objects.filter(agency=agency).order_by("path").values_list("code", flat=True):
        base = rng.uniform(76, 90)
        for period in sorted(months):
            lines.append(f"{code},{period},{base + rng.uniform(-3, 3):.2f},{rng.randint(0, 6)}")
    count = service_import(actor=hr, agency_id=agency.pk, content=("\n".join(lines) + "\n").encode())
    users = list(User.objects.filter(employee__agency=agency, employee__is_active=True).order_by("pk"))
    reported = 0
    for user in users:
        if rng.random() < 0.7:
            readiness_submit(
                actor=user, equipment=rng.choice([2, 3, 3, 4]), connection=rng.choice([1, 2, 3, 3, 4]),
                workspace=rng.choice([2, 3, 4]), on=today,
            )
            reported += 1
    say(f"{count} baris IKM dan {reported} laporan kesiapan demo dimuat.")
