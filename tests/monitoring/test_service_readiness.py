"""The IKM import (per-row Indonesian errors, nothing changed on a bad file) and the
readiness self-report, and how both reach the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fleksi.core.errors import ApplicationError
from fleksi.monitoring import services
from fleksi.monitoring.models import ReadinessReport, ServiceIndex

from .test_summary_api import get, rows
from .world import FROM, TO


@pytest.mark.django_db
def test_import_and_dashboard(client, mworld):
    content = b"unit_kode,periode,ikm,pengaduan\nC,2026-10,80.5,3\nC,2026-11,90,1\nR,2026-11,70,0\n"
    assert services.service_import(actor=mworld.hr, agency_id=mworld.agency.pk, content=content) == 3
    service = rows(get(client, mworld.hr, scope="agency").json(), "service")
    assert service["Bidang Layanan"][:3] == [85.25, 4, 2]
    assert service["Sekretariat"][:3] == [70.0, 0, 1]
    # A second import replaces the unit's month.
    services.service_import(actor=mworld.hr, agency_id=mworld.agency.pk, content=b"unit_kode,periode,ikm,pengaduan\nC,2026-10,60,0\n")
    assert ServiceIndex.objects.get(unit=mworld.unit, period=dt.date(2026, 10, 1)).ikm == 60


@pytest.mark.django_db
def test_bad_file_changes_nothing_and_names_each_row(mworld):
    services.service_import(actor=mworld.hr, agency_id=mworld.agency.pk, content=b"unit_kode,periode,ikm,pengaduan\nC,2026-10,80,3\n")
    bad = b"unit_kode,periode,ikm,pengaduan\nC,2026-11,90,1\nZZ,2026-11,70,0\nC,2026/11,101,-1\n"
    with pytest.raises(ApplicationError) as error:
        services.service_import(actor=mworld.hr, agency_id=mworld.agency.pk, content=bad)
    errors = error.value.details["errors"]
    assert [e["row"] for e in errors] == [3, 4]
    assert "kode unit ZZ tidak dikenal" in errors[0]["message"]
    assert "periode" in errors[1]["message"] and "IKM" in errors[1]["message"] and "pengaduan" in errors[1]["message"]
    assert ServiceIndex.objects.count() == 1
    with pytest.raises(ApplicationError):
        services.service_import(actor=mworld.hr, agency_id=mworld.agency.pk, content=b"a,b\n1,2\n")
    with pytest.raises(ApplicationError) as other:
        services.service_import(actor=mworld.other_hr, agency_id=mworld.agency.pk, content=bad)
    assert other.value.status == 404


@pytest.mark.django_db
def test_import_page(client, mworld):
    client.force_login(mworld.hr)
    upload = SimpleUploadedFile("ikm.csv", b"unit_kode,periode,ikm,pengaduan\nC,2026-11,bad,1\n", content_type="text/csv")
    response = client.post("/pemantauan/ikm/", {"file": upload})
    assert response.status_code == 200
    assert "IKM harus angka 0 sampai 100" in response.content.decode()
    client.force_login(mworld.staff[0].user)
    assert client.get("/pemantauan/ikm/").status_code == 404


@pytest.mark.django_db
def test_readiness_form_and_aggregate(client, mworld):
    for person, score in zip(mworld.staff[:5], [1, 2, 3, 4, 4], strict=True):
        client.force_login(person.user)
        response = client.post("/pemantauan/kesiapan/", {"equipment": score, "connection": 2, "workspace": 3, "comment": "ok"})
        assert response.status_code == 302
    client.force_login(mworld.staff[0].user)
    client.post("/pemantauan/kesiapan/", {"equipment": 4, "connection": 2, "workspace": 3})  # replaces
    assert ReadinessReport.objects.count() == 5
    assert client.post("/pemantauan/kesiapan/", {"equipment": 5, "connection": 2, "workspace": 3}).status_code == 200
    today = ReadinessReport.objects.first().period
    readiness = rows(get(client, mworld.hr, scope="agency", **{"from": today.isoformat(), "to": (today + dt.timedelta(days=27)).isoformat()}).json(), "readiness")
    assert readiness["Bidang Layanan"] == [5, 3.4, 2.0, 3.0]
    national = rows(get(client, mworld.monitor, scope="national", **{"from": today.isoformat(), "to": (today + dt.timedelta(days=27)).isoformat()}).json(), "readiness")
    assert national[mworld.agency.name] == [5, 3.4, 2.0, 3.0]


@pytest.mark.django_db
def test_readiness_is_for_employees(client, mworld):
    client.force_login(mworld.hr)
    assert client.get("/pemantauan/kesiapan/").status_code == 404
    assert FROM < TO
