"""The demo's four weeks of presensi: check-ins through the history service, closed days,
deviations, late syncs, forgotten check-outs, one correction pending and one approved."""

from __future__ import annotations

import pytest

from fleksi import demo
from fleksi.attendance.models import CheckIn, Correction, DailyRecord
from fleksi.organisation.models import Agency
from tests.workflow.helpers import TODAY

pytestmark = pytest.mark.django_db


def test_demo_has_four_weeks_of_plausible_attendance(settings, tmp_path, fixed_clock):
    settings.MEDIA_ROOT = tmp_path
    fixed_clock(TODAY)
    assert demo.load_demo() is True
    agency = Agency.objects.get(code=demo.AGENCY_CODE)
    assert CheckIn.objects.filter(agency=agency).count() > 5000
    days = DailyRecord.objects.filter(agency=agency)
    flags = [f for row in days.values_list("flags", flat=True) for f in row]
    for flag in ("deviation", "synced_late", "no_check_out", "corrected"):
        assert flag in flags, flag
    statuses = set(days.values_list("status", flat=True))
    assert {"present_office", "present_flexible", "absent"} <= statuses
    corrections = Correction.objects.filter(agency=agency, employee__email="pegawai@lembahhijau.go.id")
    assert sorted(corrections.values_list("state", flat=True)) == ["approved", "submitted"]
    approved = corrections.get(state="approved")
    record = DailyRecord.objects.get(employee=approved.employee, work_date=approved.work_date)
    assert not record.is_open and record.worked_minutes > 0
    assert demo.demo_reset() is True
    assert not CheckIn.objects.filter(agency_id=agency.pk).exists()
