"""The approver's and the team's pages: the inbox with bulk approval, the team calendar, the
personal iCalendar feed, and the notification bell. Query counts are pinned."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fleksi.notifications.models import Notification
from fleksi.requests import services as request_services
from fleksi.requests.models import FlexRequest, RequestState
from fleksi.schedules import services as schedule_services
from tests.factories import PASSWORD, EmployeeFactory
from tests.workflow.helpers import W48, W49, approved, fresh, request_data, submitted

pytestmark = pytest.mark.django_db


def login(client, user) -> None:
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


# ---- inbox -------------------------------------------------------------------------------


def test_inbox_rows_show_employee_dates_location_findings_and_coverage(client, world):
    world.agency.policy = {"min_office_share": {"U": 0.5}}
    world.agency.save(update_fields=["policy"])
    request = submitted(world.e1, W48[0], W48[1])
    login(client, world.head.user)
    html = client.get(reverse("requests:inbox")).content.decode()
    assert world.e1.name in html and world.e1.nip in html
    assert "23 Nov 2026" in html and "Rumah / domisili terdaftar" in html
    # U has H, E1, E2: 3 at the office; approving leaves 2, the minimum is 2.
    assert "Sen 23/11: 2/3" in html and "(min 2)" in html
    assert f'value="{request.pk}"' in html and "Setujui terpilih" in html


def test_inbox_filters_by_state_unit_and_search(client, world):
    submitted(world.e1, W48[0])
    submitted(world.es, W48[1])
    approved(world.e2, world.head, W48[2])
    login(client, world.head.user)
    url = reverse("requests:inbox")
    page = client.get(url).content.decode()
    assert world.e1.name in page and world.es.name in page and world.e2.name not in page
    page = client.get(f"{url}?unit={world.sub.pk}").content.decode()
    assert world.es.name in page and world.e1.name not in page
    page = client.get(f"{url}?q={world.e1.nip}").content.decode()
    assert world.e1.name in page and world.es.name not in page
    page = client.get(f"{url}?status=approved").content.decode()
    assert world.e2.name in page and world.e1.name not in page and "Setujui terpilih" not in page


def test_bulk_approve_reports_each_request(client, world):
    world.agency.policy = {"min_office_share": {"U": 0.5}}
    world.agency.save(update_fields=["policy"])
    first = submitted(world.e1, W48[0])
    second = submitted(world.e2, W48[0])  # approving both leaves 1 of 3 at the office
    third = submitted(world.es, W48[1])
    login(client, world.head.user)
    response = client.post(reverse("requests:inbox_bulk_approve"), {"pilih": [first.pk, second.pk, third.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    states = dict(FlexRequest.objects.values_list("pk", "state"))
    assert states[first.pk] == RequestState.APPROVED and states[third.pk] == RequestState.APPROVED
    assert states[second.pk] == RequestState.SUBMITTED
    results = html.split('id="bulk-results"')[1].split("</section>")[0]
    assert results.count("disetujui") >= 2 and "gagal" in results and "policy_violation" in results
    assert "tidak dapat disetujui" in results


def test_bulk_approve_of_a_request_outside_the_scope_fails_without_revealing_it(client, world):
    foreign = submitted(world.foreign, W48[0])
    login(client, world.head.user)
    response = client.post(reverse("requests:inbox_bulk_approve"), {"pilih": [foreign.pk]})
    assert "not_found" in response.content.decode()
    assert FlexRequest.objects.get(pk=foreign.pk).state == RequestState.SUBMITTED


def test_bulk_approve_needs_a_ticked_request(client, world):
    login(client, world.head.user)
    response = client.post(reverse("requests:inbox_bulk_approve"), {})
    assert response.status_code == 422
    assert "Centang paling sedikit satu pengajuan." in response.content.decode()
    response = client.post(reverse("requests:inbox_bulk_approve"), {"pilih": ["1; DROP"]})
    assert response.status_code == 422


def _many_requests(world, count: int) -> None:
    for i in range(count):
        employee = EmployeeFactory(unit=world.unit, supervisor=world.head)
        request_services.request_submit(
            actor=fresh(employee.user),
            request_id=request_services.request_create(actor=fresh(employee.user), data=request_data(W48[i % 5])).pk,
        )


def test_inbox_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    _many_requests(world, 2)
    login(client, world.head.user)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("requests:inbox"))
    _many_requests(world, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("requests:inbox"))
    assert response.content.decode().count('name="pilih"') == 22


# ---- team calendar -------------------------------------------------------------------------


def test_team_calendar_shows_locations_times_holidays_and_coverage(client, world):
    approved(world.e1, world.head, W48[0], W48[2])
    world.agency.policy = {"min_office_share": {"U": 0.7}}  # 3 in U: 3 must be at the office
    world.agency.save(update_fields=["policy"])
    login(client, world.e2.user)
    html = client.get(reverse("schedules:team_calendar") + "?minggu=2026-W48").content.decode()
    # issue 7: the week as a date range, its ISO code small beside
    assert '23–27 Nov 2026 <span class="muted small">2026-W48</span>' in html
    assert world.e1.name in html and world.e2.name in html
    row = html.split(world.e1.name)[1].split("</tr>")[0]
    assert row.count("loc-rumah") == 2 and "Rumah / domisili terdaftar" in row
    footer = html.split("<tfoot>")[1]
    assert footer.count("di bawah minimum") == 2 and "2/3" in footer and "minimum 3" in footer
    assert f'href="?unit={world.unit.pk}&minggu=2026-W47"' in html
    assert f'href="?unit={world.unit.pk}&minggu=2026-W49"' in html


def test_team_calendar_marks_holidays(client, world):
    login(client, world.e1.user)
    html = client.get(reverse("schedules:team_calendar") + "?minggu=2026-W52").content.decode()
    head = html.split("</thead>")[0]
    assert 'class="holiday' in head and "Natal" in head  # 25 December 2026


def test_team_calendar_bad_week_falls_back_to_this_week(client, world):
    login(client, world.e1.user)
    response = client.get(reverse("schedules:team_calendar") + "?minggu=minggu-depan")
    assert response.status_code == 200
    html = response.content.decode()
    assert "16–20 Nov 2026" in html and "2026-W47" in html and "2026-W48" in html


def test_team_calendar_unit_filter_for_heads_and_hr(client, world):
    login(client, world.head.user)
    html = client.get(reverse("schedules:team_calendar")).content.decode()
    select = html.split('<select id="unit"')[1].split("</select>")[0]
    assert world.unit.name in select and world.sub.name in select and world.sibling.name not in select
    login(client, world.hr)
    html = client.get(reverse("schedules:team_calendar") + f"?unit={world.sibling.pk}").content.decode()
    assert world.ev.name in html
    select = html.split('<select id="unit"')[1].split("</select>")[0]
    assert world.sibling.name in select and world.foreign_unit.name not in select


def _add_employees(world, count: int) -> None:
    for _ in range(count):
        EmployeeFactory(unit=world.unit, supervisor=world.head)


def test_team_calendar_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    _add_employees(world, 2)  # 5 in U with H, E1, E2
    approved(world.e1, world.head, W48[0])
    login(client, world.head.user)
    url = reverse("schedules:team_calendar") + f"?unit={world.unit.pk}&minggu=2026-W48"
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    _add_employees(world, 45)  # 50
    approved(world.e2, world.head, W48[1])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().split("<tbody>")[1].split("</tbody>")[0].count("<tr>") == 50


# ---- the iCalendar feed ----------------------------------------------------------------------


def test_calendar_feed_page_creates_rotates_and_revokes_the_url(client, world):
    login(client, world.e1.user)
    url = reverse("schedules:calendar_feed")
    assert "Belum ada alamat kalender aktif." in client.get(url).content.decode()
    client.post(url, {"action": "rotate"})
    first = re.search(r"/kerja-fleksibel/ical/([\w-]+)\.ics", client.get(url).content.decode()).group(1)
    assert client.get(reverse("schedules:ical_feed", args=[first])).status_code == 200
    client.post(url, {"action": "rotate"})
    second = re.search(r"/kerja-fleksibel/ical/([\w-]+)\.ics", client.get(url).content.decode()).group(1)
    assert second != first
    assert client.get(reverse("schedules:ical_feed", args=[first])).status_code == 404
    client.post(url, {"action": "revoke"})
    assert client.get(reverse("schedules:ical_feed", args=[second])).status_code == 404
    assert "Belum ada alamat kalender aktif." in client.get(url).content.decode()


def test_ical_feed_is_rfc5545_with_one_event_per_arrangement_day(client, world):
    position = world.e1.position
    position.time_flexibility = "dinamis"
    position.save(update_fields=["time_flexibility"])
    world.e1.name = "Pegawai dengan nama yang sangat panjang sekali, untuk menguji pelipatan baris"
    world.e1.save(update_fields=["name"])
    approved(world.e1, world.head, W48[0], W48[2])
    approved(world.e1, world.head, W49[0], location_kind="kantor", time_kind="dinamis", hours={"0": ("06:30", "15:00")})
    feed = schedule_services.calendar_feed_rotate(actor=fresh(world.e1.user))
    client.logout()
    response = client.get(reverse("schedules:ical_feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == 3 == body.count("END:VEVENT")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert "DTSTART;VALUE=DATE:20261123\r\nDTEND;VALUE=DATE:20261124" in body
    assert "SUMMARY:Kerja dari rumah" in body
    # 06:30-15:00 WIB (UTC+7) on Monday 30 November 2026
    assert "DTSTART:20261129T233000Z\r\nDTEND:20261130T080000Z" in body
    assert "\\," in body  # the comma in the calendar name is escaped
    unfolded = body.replace("\r\n ", "")
    assert "X-WR-CALNAME:Kerja fleksibel – Pegawai dengan nama yang sangat panjang sekali\\, untuk menguji pelipatan baris" in unfolded
    assert len({line for line in body.split("\r\n") if line.startswith("UID:")}) == 3


def test_ical_feed_shows_only_its_owners_days(client, world):
    approved(world.e2, world.head, W48[1])
    feed = schedule_services.calendar_feed_rotate(actor=fresh(world.e1.user))
    body = client.get(reverse("schedules:ical_feed", args=[feed.token])).content.decode()
    assert "BEGIN:VEVENT" not in body


# ---- notifications -----------------------------------------------------------------------------


def test_bell_shows_the_unread_count_and_the_page_marks_them_read(client, world):
    submitted(world.e1, W48[0])  # the head is notified
    Notification.objects.create(user=world.head.user, kind="x", title="Pengumuman", url="/")
    login(client, world.head.user)
    base = client.get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("notifications:notification_bell")}"' in base
    bell = client.get(reverse("notifications:notification_bell")).content.decode()
    assert ">2<" in bell and "belum dibaca" in bell
    page = client.get(reverse("notifications:notifications")).content.decode()
    assert "Pengumuman" in page and world.e1.name in page and page.count("Tandai dibaca") == 2
    one = Notification.objects.get(title="Pengumuman")
    client.post(reverse("notifications:notification_read"), {"id": one.pk})
    assert ">1<" in client.get(reverse("notifications:notification_bell")).content.decode()
    client.post(reverse("notifications:notification_read"))
    assert "bell-count" not in client.get(reverse("notifications:notification_bell")).content.decode()
    assert not Notification.objects.filter(user=world.head.user, read_at__isnull=True).exists()


def test_notification_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    login(client, world.e1.user)
    Notification.objects.create(user=world.e1.user, kind="x", title="n0")
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("notifications:notifications"))
    Notification.objects.bulk_create(Notification(user=world.e1.user, kind="x", title=f"n{i}") for i in range(1, 30))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("notifications:notifications"))
    assert response.content.decode().count("Tandai dibaca") == 30


def test_team_calendar_scrolls_sideways_with_a_visible_hint(client, world):
    login(client, world.e1.user)
    html = client.get(reverse("schedules:team_calendar") + "?minggu=2026-W48").content.decode()
    region = re.search(r'<div class="table-wrap calendar-wrap"[^>]*>', html).group(0)
    assert 'tabindex="0"' in region and 'role="region"' in region and "aria-label=" in region
    assert 'aria-describedby="calendar-hint"' in region
    assert 'id="calendar-hint"' in html and "Geser tabel ke samping" in html
    assert ">2026-W48<" in html and "Minggu 2026-W48" not in html


def test_team_calendar_shows_a_colleagues_day_as_flexible(client, world):
    approved(world.e1, world.head, W48[0])
    login(client, world.e2.user)
    html = client.get(reverse("schedules:team_calendar") + "?minggu=2026-W48").content.decode()
    row = html.split(world.e1.name)[1].split("</tr>")[0]
    assert row.count(">fleksibel<") == 1 and "keadaan khusus" not in html.lower()
