"""Scoping per endpoint and page: own by default, head for the unit subtree (and an acting
Plt/Plh), HR the agency; another unit's or agency's data is 404 (the same error shape)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fleksi.organisation.models import Delegation
from fleksi.performance import services

from .conftest import PERIOD, TODAY, bearer, fresh, log_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(world):
    services.log_create(actor=fresh(world.e1.user), data=services.LogInput(date=TODAY, description="a", quantity=1, minutes=30))
    services.log_create(actor=fresh(world.e2.user), data=services.LogInput(date=TODAY, description="b", quantity=1, minutes=30))
    services.log_create(actor=fresh(world.other.user), data=services.LogInput(date=TODAY, description="c", quantity=1, minutes=30))
    return world


def api_urls(w):
    e1 = w.e1.pk
    entry = w.e1.log_entries.get().pk
    return [
        f"/api/v1/performance/logs?from=2026-12-01&to=2026-12-31&employee_id={e1}",
        f"/api/v1/performance/logs/{entry}",
        f"/api/v1/performance/periods/{e1}/{PERIOD}",
        f"/api/v1/performance/assessments/{e1}/{PERIOD}",
        f"/api/v1/performance/units/{w.child.pk}/{PERIOD}",
        f"/api/v1/performance/exports/employees/{e1}/{PERIOD}.xlsx",
        f"/api/v1/performance/exports/units/{w.child.pk}/{PERIOD}.xlsx",
    ]


def page_urls(w):
    e1 = w.e1.pk
    return [
        f"/kinerja/pegawai/{e1}/{PERIOD}/",
        f"/kinerja/pegawai/{e1}/{PERIOD}/ekspor.xlsx",
        f"/kinerja/unit/{w.child.pk}/{PERIOD}/",
        f"/kinerja/unit/{w.child.pk}/{PERIOD}/ekspor.xlsx",
    ]


def test_api_scoping_per_endpoint(client, logged):
    w = logged
    urls = api_urls(w)
    for user in (w.head_child.user, w.head_root.user, w.hr):
        for url in urls:
            assert client.get(url, **bearer(user)).status_code == 200, (user, url)
    for user in (w.e2.user, w.other.user):
        for url in urls:
            response = client.get(url, **bearer(user))
            assert response.status_code == 404, (user, url)
            assert set(response.json()) == {"code", "message", "details"} and response.json()["code"] == "not_found"
    for url in urls[:4] + urls[5:6]:  # the employee's own (not the unit views)
        assert client.get(url, **bearer(w.e1.user)).status_code == 200, url
    assert client.get(urls[4], **bearer(w.e1.user)).status_code == 404


def test_own_logs_by_default(client, logged):
    w = logged
    rows = client.get("/api/v1/performance/logs?from=2026-12-01&to=2026-12-31", **bearer(w.e2.user)).json()
    assert [r["employee_id"] for r in rows] == [w.e2.pk]


def test_writes_on_another_agencys_data_are_404(client, logged):
    w = logged
    entry = w.e1.log_entries.get().pk
    for method, url, body in (
        ("post", f"/api/v1/performance/logs/{entry}/comments", {"body": "x"}),
        ("put", f"/api/v1/performance/logs/{entry}", log_body()),
        ("delete", f"/api/v1/performance/logs/{entry}", None),
        ("put", f"/api/v1/performance/assessments/{w.e1.pk}/{PERIOD}", {}),
        ("post", f"/api/v1/performance/assessments/{w.e1.pk}/{PERIOD}/finalise", {}),
    ):
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
        response = getattr(client, method)(url, **kwargs, **bearer(w.other.user))
        assert response.status_code == 404, url


def test_pages_scoping(client, logged):
    w = logged
    for user, status in ((w.head_child.user, 200), (w.head_root.user, 200), (w.hr, 200), (w.e2.user, 404), (w.other.user, 404)):
        client.force_login(user)
        for url in page_urls(w):
            assert client.get(url).status_code == status, (user, url)
    client.force_login(w.e1.user)
    assert client.get(f"/kinerja/pegawai/{w.e1.pk}/{PERIOD}/").status_code == 200
    assert client.get(f"/kinerja/pegawai/{w.e1.pk}/{PERIOD}/nilai/").status_code == 404
    assert client.get(f"/kinerja/unit/{w.child.pk}/{PERIOD}/").status_code == 404
    client.force_login(w.hr)
    assert client.get(f"/kinerja/pegawai/{w.e1.pk}/{PERIOD}/nilai/").status_code == 404  # HR reads, does not assess


def test_an_acting_plh_assesses_only_on_the_delegated_dates(client, logged):
    w = logged
    Delegation.objects.create(
        unit=w.child, delegate=w.e2, start=TODAY - dt.timedelta(days=1), end=TODAY + dt.timedelta(days=1),
        kind="plh", created_by=w.hr,
    )
    url = f"/api/v1/performance/assessments/{w.e1.pk}/{PERIOD}"
    assert client.get(url, **bearer(w.e2.user)).status_code == 200
    assert client.put(url, data="{}", content_type="application/json", **bearer(w.e2.user)).status_code == 200
    Delegation.objects.update(start=TODAY - dt.timedelta(days=10), end=TODAY - dt.timedelta(days=5))
    assert client.get(url, **bearer(w.e2.user)).status_code == 404


def test_a_bad_period_in_a_page_is_404_and_in_the_api_422(client, logged):
    w = logged
    client.force_login(w.head_root.user)
    for url in (f"/kinerja/pegawai/{w.e1.pk}/2026-13/", f"/kinerja/pegawai/{w.e1.pk}/1/", f"/kinerja/unit/{w.root.pk}/x/"):
        assert client.get(url).status_code == 404
    assert client.get("/kinerja/unit/?periode=bad").status_code == 302
    response = client.get(f"/api/v1/performance/periods/{w.e1.pk}/2026-13", **bearer(w.head_root.user))
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
