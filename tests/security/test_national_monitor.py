"""The national monitor sees aggregates only; until the monitoring app comes, no person at all.

Walks EVERY route of the URL resolver and every operation of the API's OpenAPI document as a
national monitor, path parameters filled with the real ids of a small two-agency world (and
query filters naming its units, agencies and people), and asserts that no NIP, name or email
of any employee appears in any answer and that nothing answers 5xx. The world is built with
the factories and the public HTTP API only, so the test survives the apps moving around.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from fleksi.core import clock
from fleksi.organisation.models import Employee
from tests.factories import (
    EmployeeFactory,
    UnitFactory,
    UserFactory,
    make_agency_role,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)  # a Wednesday; requests go to 2026-W48
W48 = [dt.date(2026, 11, 23) + dt.timedelta(days=i) for i in range(5)]
NAMES = (
    "Siti Rahmawati", "Bambang Hartono", "Dewi Lestari", "Agus Prasetyo", "Rina Marlina",
    "Joko Susilo", "Wulan Sari", "Hendra Gunawan", "Maya Anggraini", "Teguh Wibowo",
    "Fitri Handayani", "Yusuf Maulana",
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def request_body(**extra: Any) -> dict[str, Any]:
    return {
        "start_date": W48[0].isoformat(),
        "end_date": W48[1].isoformat(),
        "location_kind": "rumah",
        "schedule_mode": "dates",
        "dates": [W48[0].isoformat(), W48[1].isoformat()],
        "reason": "Menyusun laporan evaluasi.",
        "work_plan": "Bab 1-3.",
        "outputs": [{"description": "Draf laporan", "target_quantity": "1", "unit": "dokumen"}],
        **extra,
    }


@dataclass
class World:
    employees: list[Any] = field(default_factory=list)
    ids: dict[str, list[str]] = field(default_factory=dict)

    def secrets(self) -> list[str]:
        """What must never reach the monitor: every employee's NIP, name and emails."""
        out: list[str] = []
        for e in self.employees:
            out += [e.nip, e.name, e.email, e.user.email]
        return [s for s in out if s]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = dt.datetime.combine(TODAY, dt.time(3, 0), tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)


def _person(unit: Any, **kwargs: Any) -> Any:
    name = NAMES[Employee.objects.count() % len(NAMES)]
    email = name.lower().replace(" ", ".") + "@kementerian.go.id"
    return EmployeeFactory(unit=unit, name=name, email=email, domicile="Jl. Merdeka 1, Jakarta", **kwargs)


def _head(unit: Any) -> Any:
    head = _person(unit)
    unit.head = head
    unit.save(update_fields=["head"])
    return head


def _api(client: Client, method: str, path: str, body: Any = None) -> Any:
    response = getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json")
    assert response.status_code < 300, (path, response.status_code, response.content[:500])
    return response.json()


@pytest.fixture
def world() -> World:
    """Two agencies, each a root unit with a sub-unit, heads, employees (one under a
    disciplinary sanction), an HR admin; requests (a submitted one with evidence), a feed."""
    w = World()
    units, agencies, requests, evidence = [], [], [], []
    for _ in range(2):
        root = UnitFactory()
        sub = UnitFactory(agency=root.agency, parent=root)
        head_root = _head(root)
        head_sub = _head(sub)
        head_sub.supervisor = head_root
        head_sub.save(update_fields=["supervisor"])
        staff = [_person(sub, supervisor=head_sub), _person(sub, supervisor=head_sub, disciplinary=True)]
        w.employees += [head_root, head_sub, *staff]
        units += [root, sub]
        agencies.append(root.agency)
        make_agency_role(root.agency)
        make_agency_role(root.agency, role="ppk")
        for person in staff:
            client = Client()
            client.force_login(person.user)
            created = _api(client, "post", "/api/v1/requests", request_body())
            requests.append(created["id"])
            # submitted when the policy lets it (the sanctioned one cannot): else a draft
            client.post(f"/api/v1/requests/{created['id']}/submit")
            special = _api(client, "post", "/api/v1/requests", request_body(
                is_special=True, special_description="Merawat orang tua yang sakit.",
                start_date=W48[2].isoformat(), end_date=W48[2].isoformat(), dates=[W48[2].isoformat()],
            ))
            requests.append(special["id"])
            response = client.post(
                f"/api/v1/requests/{special['id']}/evidence",
                {"file": _upload()},
            )
            assert response.status_code == 200, response.content
            evidence += [e["id"] for e in response.json()["evidence"]]
            assert client.post("/kerja-fleksibel/kalender-saya/", {"action": "rotate"}).status_code == 302
    assert evidence and requests
    w.ids = {
        "employee_id": [str(e.pk) for e in w.employees],
        "unit_id": [str(u.pk) for u in units],
        "agency_id": [str(a.pk) for a in agencies],
        "request_id": [str(r) for r in requests],
        "evidence_id": [str(e) for e in evidence],
        "object_id": [str(e.pk) for e in w.employees],
    }
    return w


def _upload() -> Any:
    return SimpleUploadedFile("surat-dokter.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def monitor() -> Client:
    client = Client()
    client.force_login(UserFactory(username="pemantau", email="pemantau@kemenpan.go.id", is_national_monitor=True))
    return client


# ---- enumerating the routes ------------------------------------------------------------------


def _routes() -> list[tuple[str, str | None]]:
    """(pattern string, url name) of every leaf of the resolver, prefixes joined."""
    out: list[tuple[str, str | None]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            text = prefix + _pattern_text(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, text)
            elif isinstance(p, URLPattern):
                out.append((text, p.name))

    walk(get_resolver().url_patterns, "")
    return out


def _pattern_text(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, RegexPattern):
        text = str(pattern).lstrip("^").rstrip("$")
        text = re.sub(r"\(\?P<app_label>[^)]*\)", "<app_label>", text)
        return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text)
    return str(pattern)


FIXED = {"app_label": ["accounts", "organisation"], "url": ["x"], "token": ["tidak-ada-token"], "uidb64": ["MQ"]}


def _fillings(route: str, ids: dict[str, list[str]]) -> list[str]:
    """The route with its parameters filled: once per candidate id (zipped, cycled)."""
    params = re.findall(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", route)
    names = [a or b for a, b in params]
    if not names:
        return [route]
    candidates = {n: ids.get(n) or FIXED.get(n) or ["1"] for n in names}
    width = max(len(v) for v in candidates.values())
    out = []
    for i in range(width):
        path = route
        for n in names:
            value = candidates[n][i % len(candidates[n])]
            path = re.sub(rf"<(?:\w+:)?{n}>|\{{{n}\}}", value, path, count=1)
        out.append(path)
    return out


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@dataclass
class Walk:
    world: World
    client: Client
    seen: int = 0
    problems: list[str] = field(default_factory=list)

    def check(self, method: str, url: str, response: Any) -> None:
        self.seen += 1
        if response.status_code >= 500:
            self.problems.append(f"{method} {url}: {response.status_code}")
            return
        text = _body(response)
        for secret in self.world.secrets():
            if secret in text or secret.lower() in text.lower():
                self.problems.append(f"{method} {url} ({response.status_code}) shows {secret!r}")
                return

    def get(self, url: str, query: dict[str, str] | None = None) -> None:
        self.check("GET", url + (f" {query}" if query else ""), self.client.get("/" + url.lstrip("/"), query or {}))

    def post_form(self, url: str, data: dict[str, Any]) -> None:
        self.check("POST", url, self.client.post("/" + url.lstrip("/"), data))

    def send_json(self, method: str, url: str, body: Any) -> None:
        response = getattr(self.client, method)(
            "/" + url.lstrip("/"), data=json.dumps(body), content_type="application/json"
        )
        self.check(method.upper(), f"{url} {json.dumps(body)[:80]}", response)


def _queries(world: World) -> list[dict[str, str]]:
    """Filters that name the world's units, agencies and people (a leak answers them)."""
    out = []
    for unit, agency, person in zip(
        world.ids["unit_id"], itertools.cycle(world.ids["agency_id"]), world.employees, strict=False
    ):
        out.append({
            "unit": unit, "unit_id": unit, "instansi": agency, "agency": agency,
            "employee": str(person.pk), "employee_id": str(person.pk), "q": person.nip[:8],
            "minggu": "2026-W48", "week": "2026-W48", "state": "submitted",
        })
    out.append({"q": "a"})
    return out


NOT_WALKED = {"logout"}  # POSTing it ends the monitor's session; its GET is walked


def test_the_national_monitor_sees_no_person_on_any_route(world: World, monitor: Client) -> None:
    walk = Walk(world, monitor)
    queries = _queries(world)
    api_paths = {}
    openapi = monitor.get("/api/v1/openapi.json")
    assert openapi.status_code == 200
    for path, operations in openapi.json()["paths"].items():
        api_paths[path] = operations

    for route, name in _routes():
        if route.startswith("api/"):
            continue  # walked from the OpenAPI document below, with its methods
        fillings = _fillings(route, world.ids)
        if route.startswith("admin/"):
            fillings = fillings[:1]  # staff only: the monitor is sent to the admin's login
        for url in fillings:
            walk.get(url)
            if name not in NOT_WALKED:
                walk.post_form(url, {})
            if url != route:
                continue  # the ids are in the path; the filters below are for the lists
            for query in queries:
                walk.get(url, query)
            if name in NOT_WALKED:
                continue
            for person in world.employees[:3]:
                walk.post_form(url, {"employee": person.pk, "employee_id": person.pk, "unit": person.unit_id,
                                     "nip": person.nip, "q": person.nip})

    # The API: every operation of the OpenAPI document (and its routes in the resolver).
    resolver_api = {r for r, _ in _routes() if r.startswith("api/v1/")}
    assert len(resolver_api) >= len(api_paths) > 10
    for path, operations in api_paths.items():
        for url in _fillings(path, world.ids):
            for method in operations:
                if method == "get":
                    walk.get(url)
                    for query in queries if url == path else ():
                        walk.get(url, query)
                elif method in ("post", "put", "patch", "delete"):
                    walk.send_json(method, url, {})
                    walk.send_json(method, url, request_body())
                    if url != path:
                        continue  # the ids are in the path: walked once per id above
                    for person in world.employees:
                        # the read-like POST /requests/check names any employee_id
                        walk.send_json(method, url, request_body(employee_id=person.pk))
                    for request_id in world.ids["request_id"]:
                        walk.send_json(method, url + f"?request_id={request_id}", request_body())
    walk.send_json("post", "/api/v1/requests/bulk-approve", {"request_ids": [int(i) for i in world.ids["request_id"]]})

    assert walk.seen > 500, walk.seen
    assert walk.problems == []


def test_the_monitors_api_lists_are_empty(world: World, monitor: Client) -> None:
    for url in ("/api/v1/employees", "/api/v1/units", "/api/v1/inbox", "/api/v1/requests/mine"):
        response = monitor.get(url)
        assert response.status_code == 200, url
        assert response.json()["items"] == [], url
    for person in world.employees:
        response = monitor.post(
            "/api/v1/requests/check", json.dumps(request_body(employee_id=person.pk)), content_type="application/json"
        )
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    me = monitor.get("/api/v1/me").json()
    assert me["roles"] == ["national_monitor"] and me["agency_ids"] == []


def test_the_monitors_home_links_the_national_dashboard(world: World, monitor: Client) -> None:
    response = monitor.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/pemantauan/?scope=national" in text
    assert "Pemantau nasional" in text  # the role badge
    for agency_id in world.ids["agency_id"]:
        assert f"instansi={agency_id}" not in text
    # the unit tree (linked from the menu) leads back home instead of a 404
    assert monitor.get("/organisasi/unit/").url == "/"


def test_the_system_admin_still_sees_everything(world: World) -> None:
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/api/v1/employees", {"limit": 100})
    assert response.json()["count"] == len(world.employees)
    assert client.get(f"/organisasi/pegawai/{world.employees[0].pk}/").status_code == 200


def test_a_monitor_who_is_also_an_employee_sees_only_themselves(world: World) -> None:
    """Scopes add up: the monitor role grants nothing; their own employee record stays theirs."""
    person = world.employees[2]
    person.user.is_national_monitor = True
    person.user.save(update_fields=["is_national_monitor"])
    client = Client()
    client.force_login(person.user)
    items = client.get("/api/v1/employees").json()["items"]
    assert [e["id"] for e in items] == [person.pk]
