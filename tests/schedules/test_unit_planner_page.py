"""The head's planner page: constraints, the proposal solved by the job queue's worker with
its progress polled, beside the current schedule, a cell edit rechecked by the policy core
(htmx), publishing into the employees' calendars."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from fleksi.policy.formats import read_plan
from fleksi.schedules.models import ArrangementDay, PublishedSchedule
from tests.workflow.helpers import W48

pytestmark = pytest.mark.django_db

URL = "/kerja-fleksibel/rencana-unit/"


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)


def ask(client, world, on_commit, **extra):
    """Ask for a proposal: the page queues a job and redirects to its progress."""
    data = {
        "unit": world.unit.pk, "mulai": W48[0].isoformat(), "minggu": "1", "aksi": "usul",
        "jangkar": ["rabu"], "cakupan-0-nilai": "2", "cakupan-0-jenis": "orang",
        "pilihan": [f"{world.e1.nip}|senin", f"{world.e2.nip}|jumat", f"{world.e1.nip}|rabu"],
    }
    data.update(extra)
    with on_commit(execute=True):
        return client.post(URL, data)


def propose(client, world, on_commit, **extra):
    """Ask, let the worker solve it, open the page the poll sends the head to."""
    response = ask(client, world, on_commit, **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    run_worker()
    return client.get(response["Location"])


def test_only_heads_see_the_page(client, world):
    assert client.get(URL).status_code == 302
    for user in (world.e1.user, world.hr, world.foreign.user):
        client.force_login(user)
        assert client.get(URL).status_code == 404
    client.force_login(world.head.user)
    assert client.get(f"{URL}?unit={world.sibling.pk}").status_code == 404
    response = client.get(URL)
    assert response.status_code == 200 and world.e1.name in response.content.decode()
    assert world.e1.nip not in response.content.decode().replace(f"value=\"{world.e1.nip}|", "").replace(
        f"peran-{world.e1.nip}", ""
    )


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_propose_edit_publish(client, world, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    client.force_login(world.head.user)
    response = propose(client, world, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    proposal_url = response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"]
    assert "usulan=" in proposal_url
    page = response.content.decode()
    assert 'id="plan-grid"' in page and "Usulan jadwal siap" in page
    # e1 wanted Monday and Wednesday: Wednesday is the anchor, so only Monday.
    draft = client.session["unit_planner_draft"]
    assert {(r["nip"], r["tanggal"]) for r in draft["rows"]} == {
        (world.e1.nip, W48[0].isoformat()), (world.e2.nip, W48[4].isoformat())
    }
    # An edit that breaks the cap (e1 away Tue, Thu too) is shown as findings, not refused.
    for day in (W48[1], W48[3]):
        with django_assert_max_num_queries(30):
            response = client.post(
                f"{URL}sel/", {"unit": world.unit.pk, "nip": world.e1.nip, "tanggal": day.isoformat(), "lokasi": "rumah"},
                HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 200
    assert 'id="board-findings"' in response.content.decode() and "cell-error" in response.content.decode()
    refused = client.post(URL, {"unit": world.unit.pk, "aksi": "terbitkan"})
    assert "tidak dapat diterbitkan" in refused.content.decode() and not PublishedSchedule.objects.exists()
    client.post(f"{URL}sel/", {"unit": world.unit.pk, "nip": world.e1.nip, "tanggal": W48[3].isoformat(), "lokasi": "kantor"}, HTTP_HX_REQUEST="true")
    response = client.get(f"{URL}?unit={world.unit.pk}&unduh=csv")
    assert response.status_code == 200 and response.content.decode().startswith("nip,tanggal,lokasi")
    xlsx = client.get(f"{URL}?unit={world.unit.pk}&unduh=xlsx")
    read = read_plan(xlsx.content, "plan.xlsx", known_nips={world.e1.nip, world.e2.nip})
    assert not read.problems and {(r.nip, r.date) for r in read.rows} == {
        (world.e1.nip, W48[0]), (world.e1.nip, W48[1]), (world.e2.nip, W48[4])
    }
    done = client.post(URL, {"unit": world.unit.pk, "aksi": "terbitkan"})
    assert "Jadwal diterbitkan" in done.content.decode()
    published = PublishedSchedule.objects.get()
    assert f"/kerja-fleksibel/jadwal-unit/{published.pk}/tanggapan/" in done.content.decode()
    # The proposal's page again: the published draft does not come back.
    again = client.get(proposal_url)
    assert again.status_code == 200 and "unit_planner_draft" not in client.session
    days = ArrangementDay.objects.filter(active=True, schedule__isnull=False)
    assert {(d.employee_id, d.date) for d in days} == {(world.e1.pk, W48[0]), (world.e1.pk, W48[1]), (world.e2.pk, W48[4])}
    # The employee sees the day in the team calendar.
    client.force_login(world.e1.user)
    calendar = client.get("/kerja-fleksibel/kalender/?minggu=2026-W48")
    assert calendar.status_code == 200


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_cell_edit_needs_a_draft_and_the_unit(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.head.user)
    body = {"unit": world.unit.pk, "nip": world.e1.nip, "tanggal": W48[0].isoformat(), "lokasi": "rumah"}
    assert client.post(f"{URL}sel/", body, HTTP_HX_REQUEST="true").status_code == 404
    propose(client, world, django_capture_on_commit_callbacks)
    assert client.post(f"{URL}sel/", dict(body, lokasi="mars"), HTTP_HX_REQUEST="true").status_code == 404
    client.force_login(world.head_sibling.user)
    assert client.post(f"{URL}sel/", body, HTTP_HX_REQUEST="true").status_code == 404


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_publishing_with_confirmation_says_the_days_wait(client, world, django_capture_on_commit_callbacks):
    from fleksi.organisation.models import Agency

    Agency.objects.filter(pk=world.agency.pk).update(schedule_needs_confirmation=True)
    client.force_login(world.head.user)
    propose(client, world, django_capture_on_commit_callbacks)
    done = client.post(URL, {"unit": world.unit.pk, "aksi": "terbitkan"}).content.decode()
    assert "menunggu konfirmasi pegawai" in done and "hari ditulis" not in done
    assert "Lihat tanggapan pegawai" in done
    assert not ArrangementDay.objects.filter(schedule__isnull=False).exists()
