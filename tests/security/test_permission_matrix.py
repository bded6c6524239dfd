"""The permission matrix (ASVS V4.1/V4.2): every route of the URL conf and every operation of
the API's OpenAPI document, probed as each role against an object of its own unit, of another
unit of its agency and of another agency, compared with the expectation table
tests/security/permission_matrix.tsv.

A row of the table is ``METHOD route`` and one cell per role, in the order of ROLES:
``o`` own unit, ``u`` other unit of the same agency, ``a`` other agency: the targets the role
reaches (an answer other than 401/403/404 or a redirect to a login page); ``-`` none. A route
without object parameters has the single target ``o``. Routes whose every probe answers 405
for a method have no row for that method.

The test FAILS when a route (or API operation) has no row (a new route needs its expectation
written down), when a row names a route that no longer exists, and when a cell differs from
what the app does. After a deliberate change, regenerate and review the diff:
``FLEKSI_MATRIX_WRITE=1 pytest tests/security/test_permission_matrix.py``.

Each probe runs in a savepoint that is rolled back, so the world is the same for all of them.
The admin site is probed on its pages without parameters (GET only).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from fleksi.accounts.sessions import REAUTH_AT
from fleksi.attendance import corrections as attendance_corrections
from fleksi.config.api import api
from fleksi.core import clock
from fleksi.monitoring.models import EvaluationReport
from fleksi.notifications.models import Notification
from fleksi.organisation.models import AgencyOffice, PermittedPlace
from fleksi.performance import services as performance_services
from fleksi.requests import evidence as request_evidence
from fleksi.requests import services as request_services
from fleksi.schedules.models import (
    CalendarFeed,
    PlannerJob,
    PublishedSchedule,
    ScheduleChangeRequest,
    ScheduleConfirmation,
)
from fleksi.scheme.models import AgencyFlexDay
from tests.factories import UserFactory
from tests.workflow.fixtures import fixed_clock, world  # noqa: F401
from tests.workflow.helpers import W48, fresh, request_data

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).with_name("permission_matrix.tsv")
ROLES = ["anonymous", "employee", "head", "hr_admin", "ppk", "national_monitor", "system_admin"]
TARGETS = {"o": "own", "u": "other_unit", "a": "other_agency"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LOGIN_PATHS = ("/akun/masuk/", "/admin/login/")
# What every web POST carries: enough for the decision forms (approve, reject, return, revoke,
# cancel) to be valid, so that the service's permission check answers, not the form's.
# The performance comment and response forms and the correction decision likewise.
FORM_BODY = {
    "note": "Catatan.", "reason": "Alasan keputusan yang cukup jelas.", "body": "Mohon lengkapi buktinya.",
    "response": "Saya setuju dengan penilaian ini.", "decision": "approve",
}
# Parameters that name no object of a unit or agency: the same value for every target.
W48_NOON = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)
FIXED = {"uidb64": "MQ", "fmt": "xlsx", "week": "2026-W48", "app_label": "accounts", "url": "x", "period": "2026-11"}
# Web forms that name their object in the body, not the route: the body per target.
FORM_TARGETS = {
    "organisasi/keamanan-akun/": lambda ids: {"user": ids["user_id"], "action": "unlock"},
    "pemantauan/laporan/": lambda ids: {"unit": ids["unit_id"], "format": "pdf"},
}
# API operations whose JSON body names the object (see api_body): probed for every target.
BODY_TARGETS = {"api/v1/monitoring/reports", "api/v1/plans/propose"}


# ---- the routes -------------------------------------------------------------------------


def web_routes() -> list[str]:
    out: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            text = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, text)
            elif isinstance(p, URLPattern):
                out.append(text)

    walk(get_resolver().url_patterns, "")
    return [r for r in out if not r.startswith("api/")]


def api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [(m.upper(), path) for path, ops in schema["paths"].items() for m in ops]


def params(route: str) -> list[str]:
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", route)]


def fill(route: str, values: dict[str, str]) -> str:
    path = route
    for name in params(route):
        path = re.sub(rf"<(?:\w+:)?{name}>|\{{{name}\}}", values[name], path, count=1)
    return "/" + path.lstrip("/")


# ---- the world's objects, per target ----------------------------------------------------


def _request_with_evidence(employee: Any) -> tuple[int, int]:
    user = fresh(employee.user)
    request = request_services.request_create(
        actor=user, data=request_data(W48[0], is_special=True, special_description="Merawat orang tua.")
    )
    evidence = request_evidence.evidence_add(
        actor=user, request_id=request.pk,
        upload=SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
    )
    request_services.request_submit(actor=user, request_id=request.pk)
    return request.pk, evidence.pk


def _performance_objects(employee: Any) -> dict[str, str]:
    """A daily log with evidence and an output the employee proposed (performance)."""
    user = fresh(employee.user)
    entry = performance_services.log_create(actor=user, data=performance_services.LogInput(
        date=dt.date(2026, 11, 17), description="Menyusun draf laporan.", quantity="1", minutes=60,
    ))
    evidence = performance_services.evidence_add(
        actor=user, entry_id=entry.pk,
        upload=SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf"),
    )
    output = performance_services.output_propose(actor=user, data=performance_services.OutputInput(
        description="Draf kajian", target_quantity="1", unit="dokumen", due_date=dt.date(2026, 11, 30),
    ))
    correction = attendance_corrections.correction_submit(
        actor=user, work_date=dt.date(2026, 11, 17), kind="wrong_location", reason="Salah pilih tempat.",
        location="rumah",
    )
    return {"entry_id": str(entry.pk), "perf_evidence_id": str(evidence.pk), "output_id": str(output.pk),
            "correction_id": str(correction.pk)}


def target_ids(w: Any) -> dict[str, dict[str, str]]:
    """The value of every object parameter for each target."""
    out: dict[str, dict[str, str]] = {}
    for key, employee, unit, head in (
        ("o", w.e1, w.unit, w.head), ("u", w.ev, w.sibling, w.head_sibling), ("a", w.foreign, w.foreign_unit, w.foreign_head),
    ):
        agency = unit.agency
        request_id, evidence_id = _request_with_evidence(employee)
        office, _ = AgencyOffice.objects.get_or_create(agency=agency, name="Kantor Pusat")
        place, _ = PermittedPlace.objects.get_or_create(agency=agency, name="Perpustakaan")
        flex_day, _ = AgencyFlexDay.objects.get_or_create(
            agency=agency, date=W48[4], defaults={"circular": "SE 1/2026", "max_share": "0.5"}
        )
        notification = Notification.objects.filter(user=head.user).first() or Notification.objects.create(
            user=head.user, kind="test", title="x", body="x"
        )
        feed = CalendarFeed.objects.create(employee=employee, token=f"feed-{key}-" + "x" * 40)
        schedule = PublishedSchedule.objects.create(
            agency=agency, unit=unit, start=W48[0], end=W48[0], published_at=W48_NOON,
            rows=[{"nip": employee.nip, "tanggal": W48[0].isoformat(), "lokasi": "rumah"}],
            needs_confirmation=True,
        )
        ScheduleConfirmation.objects.create(
            agency=agency, schedule=schedule, employee=employee, rows=schedule.rows, created_at=W48_NOON
        )
        change = ScheduleChangeRequest.objects.create(
            agency=agency, unit=unit, schedule=schedule, employee=employee, dates=[W48[0].isoformat()],
            location_kind="rumah", reason="Ada rapat di luar kantor.", created_at=W48_NOON,
        )
        report = EvaluationReport.objects.create(
            agency=agency, unit=unit, start=W48[0], end=W48[4], format="pdf", created_by=head.user
        )
        job = PlannerJob.objects.create(unit=unit, created_by=head.user, status="done")
        out[key] = {
            "job_id": str(job.pk), "unit_id": str(unit.pk), "employee_id": str(employee.pk), "agency_id": str(agency.pk),
            "request_id": str(request_id), "evidence_id": str(evidence_id), "office_id": str(office.pk),
            "place_id": str(place.pk), "flex_day_id": str(flex_day.pk), "notification_id": str(notification.pk),
            "token": feed.token, "schedule_id": str(schedule.pk), "object_id": str(employee.user.pk),
            "change_id": str(change.pk),
            "user_id": str(employee.user.pk),
            "report_id": str(report.pk), **_performance_objects(employee), **FIXED,
        }
    return out


def route_ids(route: str, ids: dict[str, str]) -> dict[str, str]:
    """The performance app's evidence is a daily log's, not a request's."""
    if route.startswith(("kinerja/", "api/v1/performance/")):
        return {**ids, "evidence_id": ids["perf_evidence_id"]}
    return ids


def targets_of(route: str, method: str = "GET") -> list[str]:
    if (route in FORM_TARGETS or route in BODY_TARGETS) and method == "POST":
        return ["o", "u", "a"]
    names = set(params(route)) - set(FIXED)
    if not names:
        return ["o"]
    if names <= {"agency_id", "office_id", "place_id", "flex_day_id"}:
        return ["o", "a"]  # agency-level objects: no "other unit"
    return ["o", "u", "a"]


# ---- probing ------------------------------------------------------------------------------


def outcome(method: str, response: Any) -> str:
    """A (reached), D (refused), N (method not allowed)."""
    status = response.status_code
    if status == 405:
        return "N"
    if status in (401, 403, 404):
        return "D"
    if 300 <= status < 400:
        location = response.get("Location", "")
        if any(location.startswith(p) or p in location for p in LOGIN_PATHS):
            return "D"
        if method == "GET" and location in ("/", "http://testserver/"):
            return "D"  # sent home: "not for you"
    return "A"


def api_body(path: str, ids: dict[str, str]) -> Any:
    body = _new_api_body(path, ids)
    if body is not None:
        return body
    if path.endswith("/bulk-approve"):
        return {"request_ids": [int(ids["request_id"])]}
    if path.endswith("/notifications/read"):
        return {"ids": [int(ids["notification_id"])]}
    if re.search(r"/(approve|reject|return|cancel|revoke)$", path):
        return {"note": "Catatan.", "reason": "Alasan keputusan yang cukup jelas."}
    if path.endswith("/check-ins"):
        return {"idempotency_key": "00000000-0000-4000-8000-000000000001", "kind": "in",
                "client_time": "2026-11-18T07:30:00+07:00"}
    return {
        "start_date": W48[1].isoformat(), "end_date": W48[1].isoformat(), "location_kind": "rumah",
        "schedule_mode": "dates", "dates": [W48[1].isoformat()], "reason": "Laporan.", "work_plan": "Bab 1.",
        "outputs": [{"description": "Draf", "target_quantity": "1", "unit": "dokumen"}],
        "employee_id": int(ids["employee_id"]),
    }


def _new_api_body(path: str, ids: dict[str, str]) -> Any:
    """Valid bodies of the operations added with attendance corrections, performance,
    monitoring and the plan proposal: the service decides, not the validation."""
    log = {"date": "2026-11-18", "description": "Menyusun draf.", "quantity": "1", "minutes": 60}
    bodies: list[tuple[str, Any]] = [
        ("/plans/propose", {"unit_id": int(ids["unit_id"]), "start": W48[0].isoformat(), "weeks": 1, "time_limit": 2}),
        ("/attendance/corrections", {"work_date": "2026-11-16", "kind": "wrong_location",
                                     "reason": "Salah pilih tempat.", "location": "rumah"}),
        ("/performance/logs", log),
        ("/performance/outputs", {"description": "Draf", "target_quantity": "1", "unit": "dokumen",
                                  "due_date": "2026-11-30"}),
        ("/comments", {"body": "Mohon lengkapi buktinya."}),
        ("/agree", {}), ("/decline", {}), ("/finalise", {}),
        ("/response", {"response": "Saya setuju dengan penilaian ini."}),
        ("/monitoring/reports", {"scope": "unit", "id": int(ids["unit_id"]), "format": "pdf"}),
        ("/changes", {"dates": [W48[0].isoformat()], "location_kind": "rumah", "reason": "Ada rapat di luar kantor."}),
        ("/confirm", {}),
    ]
    for suffix, body in bodies:
        if path.endswith(suffix):
            return body
    if re.search(r"/performance/logs/\{entry_id\}$", path):
        return log
    if re.search(r"/performance/assessments/\{employee_id\}/\{period\}$", path):
        return {"output_ratings": {}, "behaviour_ratings": {}, "feedback": "Kerja baik."}
    return None


class Prober:
    def __init__(self, users: dict[str, Any]) -> None:
        self.clients: dict[str, Client] = {}
        for role in ROLES:
            client = Client()
            if users.get(role) is not None:
                client.force_login(users[role])
                session = client.session  # re-authenticated just now: the service decides
                session[REAUTH_AT] = clock.now().timestamp()
                session.save()
            self.clients[role] = client
        self.count = 0

    def probe(
        self, role: str, method: str, url: str, *, json_body: Any = None, upload: bool = False,
        form: dict[str, str] | None = None,
    ) -> str:
        client = self.clients[role]
        cookies = {k: v.value for k, v in client.cookies.items()}
        self.count += 1
        with transaction.atomic():
            if upload:
                response = client.post(url, {"file": SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf")})
            elif json_body is not None:
                response = getattr(client, method.lower())(url, data=json.dumps(json_body), content_type="application/json")
            elif method == "POST":
                response = client.post(url, {**FORM_BODY, **(form or {})})  # a valid form: the service decides
            else:
                response = client.get(url)
            transaction.set_rollback(True)
        for key, value in cookies.items():  # a logout or language switch undone with the rollback
            client.cookies[key] = value
        for key in set(client.cookies) - set(cookies):
            del client.cookies[key]
        return outcome(method, response)


def row(prober: Prober, method: str, route: str, ids: dict[str, dict[str, str]], *, api_path: str | None = None) -> list[str] | None:
    cells: list[str] = []
    seen: set[str] = set()
    for role in ROLES:
        reached = ""
        for target in targets_of(route, method):
            values = route_ids(route, ids[target])
            url = fill(route, values)
            body = api_body(api_path, values) if api_path is not None and method != "GET" else None
            upload = api_path is not None and api_path.endswith("/evidence")
            form = FORM_TARGETS[route](values) if route in FORM_TARGETS and method == "POST" else None
            result = prober.probe(role, method, url, json_body=None if upload else body, upload=upload, form=form)
            seen.add(result)
            if result == "A":
                reached += target
        cells.append(reached or "-")
    if seen == {"N"}:
        return None
    return cells


def observed(w: Any) -> dict[str, list[str]]:
    ids = target_ids(w)
    users = {
        "employee": fresh(w.e1.user), "head": fresh(w.head.user), "hr_admin": fresh(w.hr), "ppk": fresh(w.ppk),
        "national_monitor": UserFactory(is_national_monitor=True),
        "system_admin": UserFactory(is_superuser=True, is_staff=True),
    }
    prober = Prober(users)
    table: dict[str, list[str]] = {}
    for route in web_routes():
        if route.startswith("admin/"):
            if params(route):
                continue  # the admin's object pages: staff only, as its index shows
            methods = ["GET"]
        else:
            methods = ["GET", "POST"]
        for method in methods:
            cells = row(prober, method, route, ids)
            if cells is not None:
                table[f"{method} {route}"] = cells
    for method, path in api_operations():
        cells = row(prober, method, path.lstrip("/"), ids, api_path=path)
        if cells is not None:
            table[f"{method} {path}"] = cells
    assert prober.count > 500, prober.count
    return table


def read_table() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, *cells = line.split("\t")
        out[key] = cells
    return out


def write_table(table: dict[str, list[str]]) -> None:
    lines = [
        "# The permission matrix: tests/security/test_permission_matrix.py (read its docstring).",
        "# o own unit, u other unit of the agency, a other agency; - none. Columns:",
        "# route\t" + "\t".join(ROLES),
    ]
    lines += [key + "\t" + "\t".join(cells) for key, cells in sorted(table.items(), key=lambda kv: (kv[0].split(" ", 1)[1], kv[0]))]
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_route_and_role_matches_the_expectation_table(world):  # noqa: F811
    table = observed(world)
    if os.environ.get("FLEKSI_MATRIX_WRITE"):
        write_table(table)
    expected = read_table()
    missing = sorted(set(table) - set(expected))
    stale = sorted(set(expected) - set(table))
    differ = [
        f"{key}: expected {dict(zip(ROLES, expected[key], strict=True))}, got {dict(zip(ROLES, table[key], strict=True))}"
        for key in sorted(set(table) & set(expected))
        if expected[key] != table[key]
    ]
    problems = (
        [f"no expectation for {key} (observed: {chr(9).join(table[key])})" for key in missing]
        + [f"the table names a route that no longer exists: {key}" for key in stale]
        + differ
    )
    assert problems == [], "permission matrix (tests/security/permission_matrix.tsv):\n" + "\n".join(problems)


def test_every_route_has_a_row_in_the_table():
    """The quick check (no database): every route of the URL conf and every API operation is
    named by the table, so a new route fails here at once, naming itself."""
    keys = set(read_table())
    routes = {key.split(" ", 1)[1] for key in keys}
    missing = [
        route for route in web_routes()
        if route not in routes and not (route.startswith("admin/") and params(route))
    ]
    missing += [f"{m} {p}" for m, p in api_operations() if f"{m} {p}" not in keys]
    assert missing == [], (
        "routes without a row in tests/security/permission_matrix.tsv (run the matrix test "
        "with FLEKSI_MATRIX_WRITE=1, review the diff):\n" + "\n".join(missing)
    )
