"""``fleksi demo --employees N --weeks W``: the synthetic agency for benchmarks (decision 182)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from fleksi import demo
from fleksi.attendance.models import DailyRecord
from fleksi.cli import main as fleksi
from fleksi.demo import scale  # noqa: F401  (demo.scale)
from fleksi.organisation.models import Agency, Employee, OrgUnit
from fleksi.performance.models import Assessment, LogEntry
from fleksi.policy.nip import parse_nip
from fleksi.schedules.models import ArrangementDay

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 2)


def test_the_synthetic_agency_is_complete_and_consistent(fixed_clock):
    built = demo.scale.load_scale(120, 3, start=MONDAY, units=6, password="rahasia-panjang-sekali")
    agency = Agency.objects.get(code="skala-120")
    assert (built.employees, built.units, built.start, built.end) == (120, 6, MONDAY, dt.date(2026, 11, 22))
    assert Employee.objects.filter(agency=agency).count() == 120
    assert OrgUnit.objects.filter(agency=agency).count() == 6
    # Every NIP is a valid, distinct PNS NIP (the policy core's own check).
    nips = list(Employee.objects.filter(agency=agency).values_list("nip", flat=True))
    assert len(set(nips)) == 120
    for nip in nips:
        parse_nip(nip, today=dt.date(2026, 11, 18))
    # One daily record per employee and working day; flexible days only for positions that allow them.
    assert built.records == DailyRecord.objects.filter(agency=agency).count() == 120 * 15
    per_day = DailyRecord.objects.filter(agency=agency).values("work_date").annotate(n=Count("id"))
    assert {row["n"] for row in per_day} == {120}
    assert not DailyRecord.objects.filter(agency=agency, work_date__week_day__in=[1, 7]).exists()
    away = ArrangementDay.objects.filter(agency=agency)
    assert built.days == away.count() > 0
    assert not away.filter(employee__position__can_work_outside_office=False).exists()
    assert set(away.values_list("employee__unit__agency", flat=True)) == {agency.pk}
    flexible = DailyRecord.objects.filter(agency=agency, planned_location="rumah").count()
    assert flexible == built.days  # the records follow the arrangement
    assert built.logs == LogEntry.objects.filter(agency=agency).count() > 0
    assert Assessment.objects.filter(agency=agency, period=dt.date(2026, 11, 1), state="final").count() == 120
    # The rollups the dashboards read are built and agree with the records.
    from fleksi.attendance.models import DayRollup, WeekRollup

    assert sum(DayRollup.objects.filter(agency=agency).values_list("records", flat=True)) == built.records
    assert WeekRollup.objects.filter(agency=agency).count() == 120 * 3
    # The HR admin logs in with the given password and sees the agency's dashboard.
    assert built.hr.check_password("rahasia-panjang-sekali")


def test_hr_of_the_synthetic_agency_sees_its_dashboard(client, fixed_clock):
    demo.scale.load_scale(60, 2, start=MONDAY, units=3, password="rahasia-panjang-sekali")
    assert client.login(username=demo.scale.hr_username(60), password="rahasia-panjang-sekali")
    page = client.get("/pemantauan/", {"from": "2026-11-02", "to": "2026-11-15"})
    assert page.status_code == 200
    assert "Instansi Skala 60" in page.content.decode()


def test_remove_agency_takes_everything_and_nothing_else(fixed_clock):
    demo.scale.load_scale(30, 1, start=MONDAY, units=2)
    other = demo.scale.load_scale(20, 1, start=MONDAY, units=2)
    demo.remove_agency(Agency.objects.get(code="skala-30"), extra_usernames=["pemantau-skala-30"])
    assert not Agency.objects.filter(code="skala-30").exists()
    assert DailyRecord.objects.filter(agency=other.agency).count() == 20 * 5
    assert DailyRecord.objects.count() == 20 * 5
    assert Employee.objects.count() == 20


def test_the_command_loads_once_and_reloads_on_reset(capsys, fixed_clock):
    assert fleksi(["demo", "--employees", "25", "--weeks", "1", "--units", "2", "--no-serve"]) == 0
    assert "25 pegawai" in capsys.readouterr().out
    assert fleksi(["demo", "--employees", "25", "--weeks", "1", "--no-serve"]) == 0
    assert "sudah ada" in capsys.readouterr().out
    first = Agency.objects.get(code="skala-25").pk
    assert fleksi(["demo", "--employees", "25", "--weeks", "1", "--no-serve", "--reset"]) == 0
    assert Agency.objects.get(code="skala-25").pk != first
    assert Employee.objects.filter(agency__code="skala-25").count() == 25


def test_the_command_refuses_a_non_positive_size(capsys):
    with pytest.raises(SystemExit):
        fleksi(["demo", "--employees", "0", "--no-serve"])
    assert "bilangan bulat positif" in capsys.readouterr().err
