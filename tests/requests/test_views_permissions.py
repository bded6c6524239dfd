"""Every page of the flexible-work UI: anonymous -> login, outsiders -> 404, the right actor -> 200.

The world (conftest): agency A with units R > U > S and V; E1, E2 in U (head H), EV in V (head HV),
an HR admin and a PPK of A; agency F with its head FH, employee FE and HR admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fleksi.notifications.models import Notification
from fleksi.organisation.models import AgencyOffice, PermittedPlace
from fleksi.requests import decisions as request_decisions
from fleksi.requests import evidence as request_evidence
from fleksi.requests import services as request_services
from fleksi.requests.models import FlexRequest, RequestState
from fleksi.schedules import services as schedule_services
from fleksi.scheme.models import AgencyFlexDay
from tests.factories import PASSWORD
from tests.workflow.helpers import W48, fresh, request_data, submitted
from tests.workflow.helpers import page as page_name

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def login(client, user) -> None:
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


@dataclass
class Page:
    name: str
    method: str = "get"
    ok: int = 200

    def url(self, objects: dict[str, Any]) -> str:
        return reverse(page_name(self.name), kwargs=self.kwargs(objects))

    def kwargs(self, o: dict[str, Any]) -> dict[str, Any]:
        needs = {
            "request_detail": {"request_id": o["request"].pk},
            "request_edit": {"request_id": o["draft"].pk},
            "request_check_existing": {"request_id": o["draft"].pk},
            "request_cancel": {"request_id": o["request"].pk},
            "request_approve": {"request_id": o["request"].pk},
            "request_reject": {"request_id": o["request"].pk},
            "request_return": {"request_id": o["request"].pk},
            "request_revoke": {"request_id": o["request"].pk},
            "evidence_open": {"evidence_id": o["evidence"].pk},
            "agency_settings": {"agency_id": o["agency"].pk},
            "agency_settings_general": {"agency_id": o["agency"].pk},
            "agency_policy": {"agency_id": o["agency"].pk},
            "office_add": {"agency_id": o["agency"].pk},
            "office_edit": {"agency_id": o["agency"].pk, "office_id": o["office"].pk},
            "place_add": {"agency_id": o["agency"].pk},
            "place_edit": {"agency_id": o["agency"].pk, "place_id": o["place"].pk},
            "flex_day_add": {"agency_id": o["agency"].pk},
            "flex_day_remove": {"agency_id": o["agency"].pk, "flex_day_id": o["flex_day"].pk},
        }
        return needs.get(self.name, {})


@pytest.fixture
def objects(world):
    e1 = fresh(world.e1.user)
    draft = request_services.request_create(actor=e1, data=request_data(W48[1], is_special=True, special_description="Merawat orang tua"))
    evidence = request_evidence.evidence_add(actor=e1, request_id=draft.pk, upload=SimpleUploadedFile("bukti.png", PNG, "image/png"))
    request = submitted(world.e1, W48[0])
    office = AgencyOffice.objects.create(agency=world.agency, name="Kantor Wilayah")
    place = PermittedPlace.objects.create(agency=world.agency, name="Perpustakaan Daerah")
    flex_day = AgencyFlexDay.objects.create(agency=world.agency, date=W48[4], circular="SE uji")
    return {"draft": draft, "evidence": evidence, "request": request, "office": office, "place": place,
            "flex_day": flex_day, "agency": world.agency}


# Who may open each page (the "right actor") and who must get a 404 instead.
EMPLOYEE_PAGES = [
    Page("request_detail"),
    Page("request_edit"),
    Page("request_check_existing", "post"),
    Page("evidence_open"),
    Page("request_cancel", "post", 302),
]
APPROVER_PAGES = [
    Page("request_approve", "post", 302),
    Page("request_reject", "post", 302),
    Page("request_return", "post", 302),
]
AGENCY_PAGES = [
    Page("agency_settings"),
    Page("agency_settings_general", "post", 302),
    Page("agency_policy", "post", 302),
    Page("office_add", "post", 302),
    Page("office_edit"),
    Page("office_edit", "post", 302),
    Page("place_add", "post", 302),
    Page("place_edit"),
    Page("place_edit", "post", 302),
    Page("flex_day_add", "post", 302),
    Page("flex_day_remove", "post", 302),
]
SIMPLE_PAGES = [
    Page("my_requests"),
    Page("request_new"),
    Page("request_check", "post"),
    Page("inbox"),
    Page("inbox_bulk_approve", "post"),
    Page("team_calendar"),
    Page("calendar_feed"),
    Page("settings_home"),
    Page("notifications"),
    Page("notification_bell"),
    Page("notification_read", "post", 302),
]
ALL_PAGES = [*EMPLOYEE_PAGES, *APPROVER_PAGES, Page("request_revoke", "post", 302), *AGENCY_PAGES, *SIMPLE_PAGES]


def valid_post(page: Page, objects: dict[str, Any]) -> dict[str, Any]:
    return {
        "request_reject": {"reason": "Beban kerja tim sedang tinggi."},
        "request_return": {"reason": "Lengkapi rencana kerja."},
        "request_revoke": {"reason": "Kebutuhan layanan."},
        "agency_settings_general": {"flexible_work_enabled": "on", "reminder_after_days": "3"},
        "agency_policy": {"max_location_days_per_week": "2", "new_in_position_months": "6", "min_office_share": "0"},
        "office_add": {"kantor-name": "Kantor Cabang Baru", "kantor-is_active": "on"},
        "office_edit": {"kantor-name": "Kantor Wilayah I", "kantor-is_active": "on"},
        "place_add": {"lokasi-name": "Ruang Kerja Bersama", "lokasi-is_active": "on"},
        "place_edit": {"lokasi-name": "Perpustakaan Kota", "lokasi-is_active": "on"},
        "flex_day_add": {"hari-date": "2026-12-24", "hari-circular": "SE MenPANRB 9/2026", "hari-max_share": "0.5"},
    }.get(page.name, {})


def call(client, page: Page, objects: dict[str, Any], data: dict[str, Any] | None = None):
    url = page.url(objects)
    if page.method == "post":
        return client.post(url, data if data is not None else valid_post(page, objects))
    return client.get(url)


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: f"{p.method}-{p.name}")
def test_anonymous_is_sent_to_login_and_nothing_changes(client, world, objects, page):
    before = list(FlexRequest.objects.order_by("pk").values_list("pk", "state"))
    response = call(client, page, objects)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert list(FlexRequest.objects.order_by("pk").values_list("pk", "state")) == before


@pytest.mark.parametrize("page", EMPLOYEE_PAGES, ids=lambda p: f"{p.method}-{p.name}")
@pytest.mark.parametrize("outsider", ["e2", "ev", "foreign", "foreign_head", "foreign_hr"])
def test_own_request_pages_are_404_for_others(client, world, objects, page, outsider):
    who = getattr(world, outsider)
    login(client, who if outsider == "foreign_hr" else who.user)
    before = list(FlexRequest.objects.order_by("pk").values_list("pk", "state"))
    assert call(client, page, objects).status_code == 404
    assert list(FlexRequest.objects.order_by("pk").values_list("pk", "state")) == before


@pytest.mark.parametrize("page", EMPLOYEE_PAGES, ids=lambda p: f"{p.method}-{p.name}")
def test_own_request_pages_open_for_the_employee(client, world, objects, page):
    login(client, world.e1.user)
    assert call(client, page, objects).status_code == page.ok


@pytest.mark.parametrize("page", [*APPROVER_PAGES, Page("request_revoke", "post", 302)], ids=lambda p: p.name)
@pytest.mark.parametrize("outsider", ["e2", "head_sibling", "foreign_head", "hr"])
def test_decisions_are_404_for_everyone_but_the_approver(client, world, objects, page, outsider):
    if page.name == "request_revoke":
        request_decisions.request_approve(actor=fresh(world.head.user), request_id=objects["request"].pk)
    who = getattr(world, outsider)
    login(client, who.user if hasattr(who, "user") else who)
    state = FlexRequest.objects.get(pk=objects["request"].pk).state
    assert call(client, page, objects).status_code == 404
    assert FlexRequest.objects.get(pk=objects["request"].pk).state == state


@pytest.mark.parametrize(
    ("page", "state"),
    [(APPROVER_PAGES[0], RequestState.APPROVED), (APPROVER_PAGES[1], RequestState.REJECTED),
     (APPROVER_PAGES[2], RequestState.RETURNED), (Page("request_revoke", "post", 302), RequestState.REVOKED)],
    ids=lambda v: getattr(v, "name", str(v)),
)
def test_decisions_work_for_the_approver(client, world, objects, page, state):
    if page.name == "request_revoke":
        request_decisions.request_approve(actor=fresh(world.head.user), request_id=objects["request"].pk)
    login(client, world.head.user)
    response = call(client, page, objects)
    assert response.status_code == 302
    assert FlexRequest.objects.get(pk=objects["request"].pk).state == state


def test_approver_and_agency_see_the_request_and_its_evidence(client, world, objects):
    request_services.request_submit(actor=fresh(world.e1.user), request_id=objects["draft"].pk)
    for who in (world.head.user, world.head_root.user, world.hr, world.ppk):
        login(client, who)
        assert call(client, Page("request_detail"), objects).status_code == 200
        assert call(client, Page("evidence_open"), objects).status_code == 200
    login(client, world.head.user)
    assert call(client, Page("request_edit"), objects).status_code == 404


@pytest.mark.parametrize("page", AGENCY_PAGES, ids=lambda p: f"{p.method}-{p.name}")
@pytest.mark.parametrize("outsider", ["e1", "head", "foreign_hr"])
def test_agency_settings_are_404_for_employees_heads_and_other_agencies(client, world, objects, page, outsider):
    who = getattr(world, outsider)
    login(client, who.user if hasattr(who, "user") else who)
    policy = dict(world.agency.policy or {})
    offices = list(AgencyOffice.objects.values_list("pk", "name"))
    assert call(client, page, objects).status_code == 404
    world.agency.refresh_from_db()
    assert world.agency.policy == policy
    assert list(AgencyOffice.objects.values_list("pk", "name")) == offices
    assert AgencyFlexDay.objects.filter(pk=objects["flex_day"].pk).exists()


@pytest.mark.parametrize("page", AGENCY_PAGES, ids=lambda p: f"{p.method}-{p.name}")
@pytest.mark.parametrize("who", ["hr", "ppk"])
def test_agency_settings_open_for_hr_and_ppk(client, world, objects, page, who):
    login(client, getattr(world, who))
    response = call(client, page, objects)
    assert response.status_code == page.ok, response.content[:2000]


def test_simple_pages_open_for_an_employee(client, world, objects):
    login(client, world.e1.user)
    for page in SIMPLE_PAGES:
        if page.name in ("settings_home",):
            continue
        response = call(client, page, objects)
        assert response.status_code in (page.ok, 422), page.name


def test_pages_without_an_employee_record_are_404_or_redirect(client, world, objects):
    login(client, world.hr)
    assert client.get(reverse("requests:inbox")).status_code == 404
    assert client.get(reverse("schedules:calendar_feed")).status_code == 404
    assert client.post(reverse("requests:request_check"), {}).status_code == 404
    assert client.get(reverse("requests:request_new")).status_code == 302
    assert client.get(reverse("requests:my_requests")).status_code == 200
    assert client.get(reverse("schedules:team_calendar") + f"?unit={world.unit.pk}").status_code == 200
    response = client.get(reverse("scheme:settings_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("scheme:agency_settings", args=[world.agency.pk])


def test_settings_home_is_404_for_an_employee(client, world):
    login(client, world.e1.user)
    assert client.get(reverse("scheme:settings_home")).status_code == 404


def test_team_calendar_is_404_outside_the_actor_scope(client, world):
    url = reverse("schedules:team_calendar")
    login(client, world.e1.user)
    assert client.get(url).status_code == 200
    assert client.get(f"{url}?unit={world.unit.pk}").status_code == 200
    for unit in (world.sibling, world.sub, world.foreign_unit):
        assert client.get(f"{url}?unit={unit.pk}").status_code == 404
    login(client, world.head.user)
    assert client.get(f"{url}?unit={world.sub.pk}").status_code == 200
    assert client.get(f"{url}?unit={world.sibling.pk}").status_code == 404
    login(client, world.foreign_hr)
    assert client.get(f"{url}?unit={world.unit.pk}").status_code == 404
    assert client.get(f"{url}?unit={world.foreign_unit.pk}").status_code == 200


def test_inbox_lists_only_what_the_actor_decides(client, world, objects):
    submitted(world.ev, W48[2])
    login(client, world.head.user)
    page = client.get(reverse("requests:inbox")).content.decode()
    assert world.e1.name in page and world.ev.name not in page
    for outsider in (world.head_sibling, world.foreign_head, world.e2):
        login(client, outsider.user)
        assert world.e1.name not in client.get(reverse("requests:inbox")).content.decode()


def test_notification_of_another_user_is_404(client, world):
    other = Notification.objects.create(user=world.e2.user, kind="x", title="Untuk E2")
    login(client, world.e1.user)
    assert client.post(reverse("notifications:notification_read"), {"id": other.pk}).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    assert "Untuk E2" not in client.get(reverse("notifications:notifications")).content.decode()


def test_ical_feed_needs_no_login_and_unknown_or_revoked_tokens_are_404(client, world):
    feed = schedule_services.calendar_feed_rotate(actor=fresh(world.e1.user))
    url = reverse("schedules:ical_feed", args=[feed.token])
    assert client.get(url).status_code == 200
    assert client.get(reverse("schedules:ical_feed", args=["bukan-token"])).status_code == 404
    schedule_services.calendar_feed_revoke(actor=fresh(world.e1.user))
    assert client.get(url).status_code == 404


def test_get_on_post_only_pages_is_refused(client, world, objects):
    login(client, world.head.user)
    for name in ("request_approve", "request_reject", "request_return", "request_revoke"):
        assert client.get(reverse(page_name(name), args=[objects["request"].pk])).status_code == 405
