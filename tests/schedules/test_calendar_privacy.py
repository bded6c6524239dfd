"""A colleague's keadaan khusus is private: the unit calendar shows it as flexible only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fleksi.requests import decisions as request_decisions
from fleksi.requests import evidence as request_evidence
from fleksi.requests import services as request_services
from fleksi.schedules import selectors as schedule_selectors
from tests.workflow.helpers import W48, fresh, request_data

pytestmark = pytest.mark.django_db


def _special_cells(actor, unit_id, employee_id):
    week = schedule_selectors.unit_week_calendar(actor=fresh(actor), unit_id=unit_id, week_start=W48[0])
    row = next(r for r in week.rows if r.employee_id == employee_id)
    return next(c for c in row.cells if c.date == W48[0])


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture
def special_day(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = fresh(world.e1.user)
    draft = request_services.request_create(
        actor=user, data=request_data(W48[0], is_special=True, special_description="Perawatan kesehatan")
    )
    request_evidence.evidence_add(actor=user, request_id=draft.pk, upload=SimpleUploadedFile("surat.pdf", PDF))
    request_services.request_submit(actor=user, request_id=draft.pk)
    return request_decisions.request_approve(actor=fresh(world.head.user), request_id=draft.pk)


def test_colleagues_see_flexible_but_not_why(world, special_day, client):
    cell = _special_cells(world.e2.user, world.unit.pk, world.e1.pk)
    assert cell.location_kind == "rumah"
    assert cell.is_special is False
    client.force_login(world.e2.user)
    body = client.get(f"/api/v1/units/{world.unit.pk}/calendar?week=2026-W48").json()
    row = next(r for r in body["rows"] if r["employee_id"] == world.e1.pk)
    assert all(c["is_special"] is False for c in row["cells"])
    page = client.get(f"/kerja-fleksibel/kalender/?unit={world.unit.pk}&minggu=2026-W48").content.decode()
    assert "keadaan khusus" not in page.lower()


@pytest.mark.parametrize("who", ["e1", "head", "hr", "head_root"])
def test_the_employee_approvers_and_hr_see_the_keadaan_khusus(world, special_day, who):
    actor = getattr(world, who)
    user = actor if not hasattr(actor, "user") else actor.user
    assert _special_cells(user, world.unit.pk, world.e1.pk).is_special is True
