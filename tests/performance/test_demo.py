"""The demo's performance history: two months of logs, last month assessed, a few days
without a log, some outputs late, feedback with a reply."""

from __future__ import annotations

import pytest

from fleksi import demo
from fleksi.organisation.models import Agency, OrgUnit
from fleksi.performance import selectors
from fleksi.performance.models import Assessment, LogComment, LogEntry
from tests.workflow.fixtures import fixed_clock  # noqa: F401
from tests.workflow.helpers import TODAY, fresh

pytestmark = pytest.mark.django_db


def test_demo_has_two_months_of_logs_and_an_assessed_month(settings, tmp_path, fixed_clock):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    fixed_clock(TODAY)
    assert demo.load_demo() is True
    agency = Agency.objects.get(code=demo.AGENCY_CODE)
    months = {d.strftime("%Y-%m") for d in LogEntry.objects.filter(agency=agency).values_list("date", flat=True)}
    assert months == {"2026-10", "2026-11"}
    final = Assessment.objects.filter(agency=agency, state="final")
    assert final.count() >= 5 and {a.period.strftime("%Y-%m") for a in final} == {"2026-10"}
    assert all(a.predikat for a in final) and final.exclude(response="").exists()
    assert LogComment.objects.filter(entry__agency=agency, by_employee=True).exists()
    kominfo = OrgUnit.objects.get(agency=agency, code="DISKOMINFO")
    view = selectors.unit_period(actor=fresh(kominfo.head.user), unit_id=kominfo.pk, period="2026-10")
    assessed = [r for r in view.rows if r.assessment_state == "final"]
    assert len(assessed) >= 5 and all(r.entries >= 10 and r.outputs == 2 for r in assessed)
    working_days = 21  # October 2026 (Perpres 21/2023 calendar; no holiday)
    assert any(r.entries < working_days for r in assessed)  # a few days without a log
    late = 0
    for r in assessed:
        p = selectors.employee_period(actor=fresh(kominfo.head.user), employee_id=r.employee_id, period="2026-10")
        late += sum(1 for o in p.outputs if o.on_time is False)
    assert late >= 1
    assert demo.demo_reset() is True
