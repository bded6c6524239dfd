"""GET /api/v1/monitoring/summary: figures counted by hand from the small world, scoping,
and the national view's small cells."""

from __future__ import annotations

import pytest

from .world import FROM, TO

URL = "/api/v1/monitoring/summary"


def get(client, user, **params):
    client.force_login(user)
    params.setdefault("from", FROM.isoformat())
    params.setdefault("to", TO.isoformat())
    return client.get(URL, params)


def table(data, key):
    for section in data["sections"]:
        for t in section["tables"]:
            if t["key"] == key:
                return t
    raise AssertionError(key)


def rows(data, key):
    return {row[0]: row[1:] for row in table(data, key)["rows"]}


@pytest.mark.django_db
def test_agency_figures_are_right(client, mworld):
    response = get(client, mworld.hr, scope="agency")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["label"] == mworld.agency.name
    adoption = rows(data, "adoption")
    # 8 employees (2 heads + 6 staff); E1, E2, E3 have flexible days (E3: dynamic hours).
    assert adoption["Jumlah"] == [8, 3, 37.5]
    assert adoption["Bidang Layanan"] == [7, 3, 42.9]
    assert adoption["Sekretariat"] == [1, 0, 0.0]
    assert rows(data, "requests")["Disetujui"] == [3, 3]
    turnaround = rows(data, "turnaround")
    assert turnaround["Keputusan"] == [3]
    assert turnaround["Median"] == [2.0]
    assert turnaround["Persentil 90"] == [10.0]
    # Monday: E1 + E2 at home (2), Tuesday: E1 at home; Wednesday: E3 at the office.
    weekday = rows(data, "weekday_plan")
    assert weekday["Senin"][2] == 2 and weekday["Selasa"][2] == 1 and weekday["Rabu"][0] == 1
    attendance = rows(data, "attendance")
    # days, absent, deviation, outside office, synced late, no check-in
    assert attendance["Jumlah"] == [4, 1, 1, 1, 1, 1]
    findings = table(data, "findings")["rows"]
    assert findings[0][0] == "LOCATION_MAX_DAYS_PER_WEEK" and findings[0][3:] == [1, 1]
    assert findings[0][2]  # the legal basis
    assert "outputs" in [s["key"] for s in data["sections"]]


@pytest.mark.django_db
def test_head_sees_own_subtree_only(client, mworld):
    assert get(client, mworld.head.user).json()["id"] == mworld.unit.pk  # default: own unit
    assert get(client, mworld.head.user, scope="unit", id=mworld.root.pk).status_code == 404
    assert get(client, mworld.head.user, scope="agency").status_code == 404
    assert get(client, mworld.head_root.user, scope="unit", id=mworld.unit.pk).status_code == 200
    assert get(client, mworld.staff[0].user, scope="unit").status_code == 404
    assert get(client, mworld.staff[0].user, scope="unit", id=mworld.unit.pk).status_code == 404


@pytest.mark.django_db
def test_hr_of_another_agency_gets_404(client, mworld):
    response = get(client, mworld.other_hr, scope="agency", id=mworld.agency.pk)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert get(client, mworld.other_hr, scope="unit", id=mworld.unit.pk).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["hr", "head", "employee"])
def test_national_scope_is_403_for_others(client, mworld, who):
    user = {"hr": mworld.hr, "head": mworld.head.user, "employee": mworld.staff[0].user}[who]
    response = get(client, user, scope="national")
    assert response.status_code == 403
    assert set(response.json()) == {"code", "message", "details"}


@pytest.mark.django_db
def test_national_view_suppresses_small_cells_and_names_nobody(client, mworld):
    response = get(client, mworld.monitor, scope="national")
    assert response.status_code == 200
    text = response.content.decode()
    data = response.json()
    adoption = rows(data, "adoption")
    # Agency B: 3 employees, 2 with home days: every cell counts fewer than 5 employees.
    assert adoption[mworld.other.name] == ["< 5", "< 5", "< 5"]
    # Agency A: 8 employees, 3 with flexible days: the 3 is hidden; the 8 counts enough people
    # but B's 3 would be 11 - 8 with the total shown, so the 8 is hidden too (complementary
    # suppression, decision 171).
    assert adoption[mworld.agency.name][:2] == ["< 5", "< 5"]
    assert adoption["Jumlah"][:2] == [11, 5]
    assert rows(data, "attendance")["Jumlah"] == ["< 5"] * 6
    for name in mworld.names + mworld.nips + [mworld.unit.name, mworld.root.name]:
        assert name not in text
    # The unit tables of the national view are per agency only.
    assert set(rows(data, "location_groups")) <= {mworld.agency.name, mworld.other.name}


@pytest.mark.django_db
def test_national_csv_suppresses_small_cells(client, mworld):
    response = get(client, mworld.monitor, scope="national", format="csv", table="adoption")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert f"{mworld.other.name},< 5,< 5,< 5" in text
    for name in mworld.names + mworld.nips:
        assert name not in text


@pytest.mark.django_db
def test_admin_sees_national(client, mworld):
    assert get(client, mworld.admin, scope="national").status_code == 200


@pytest.mark.django_db
def test_bad_filters_are_422(client, mworld):
    assert get(client, mworld.hr, scope="agency", location="mars").status_code == 422
    assert get(client, mworld.hr, scope="agency", **{"from": "2026-13-01"}).status_code == 422
    assert get(client, mworld.hr, scope="planet").status_code == 422
    response = get(client, mworld.hr, scope="agency", **{"from": "2026-12-01", "to": "2026-11-01"})
    assert response.status_code == 422


@pytest.mark.django_db
def test_anonymous_is_401(client, mworld):
    assert client.get(URL).status_code == 401


@pytest.mark.django_db
def test_location_filter(client, mworld):
    data = get(client, mworld.hr, scope="agency", location="rumah").json()
    assert rows(data, "adoption")["Jumlah"] == [8, 2, 25.0]


@pytest.mark.django_db
def test_query_count_is_pinned(client, mworld, django_assert_num_queries):
    """Exact counts (docs/decisions/197; since decisions 198 and 201 the predikat table, the
    two output tables together, and adoption's distinct counts take one query each, were
    two): a new query on the dashboards shows here."""
    params = {"from": FROM, "to": TO}
    client.force_login(mworld.hr)
    client.get(URL, {"scope": "agency", **params})  # warm the scheme cache
    with django_assert_num_queries(32):
        assert client.get(URL, {"scope": "agency", **params}).status_code == 200
    with django_assert_num_queries(35):
        assert client.get("/pemantauan/", {"scope": "agency", **params}).status_code == 200
    client.force_login(mworld.admin)
    client.get(URL, {"scope": "national", **params})
    with django_assert_num_queries(32):
        assert client.get(URL, {"scope": "national", **params}).status_code == 200


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data(client, mworld):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EmployeeFactory

    from .world import MON, TUE, day, flex_request, record

    def count() -> int:
        client.get(URL, {"scope": "agency", "from": FROM, "to": TO})  # warm the scheme cache
        with CaptureQueriesContext(connection) as queries:
            client.get(URL, {"scope": "agency", "from": FROM, "to": TO})
        return len(queries.captured_queries)

    client.force_login(mworld.hr)
    before = count()
    for _ in range(10):
        person = EmployeeFactory(unit=mworld.unit)
        day(flex_request(person, hours=5), TUE)
        record(person, MON, status="present_office", location="kantor", minutes=420)
    assert count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["²", "٣", str(2**63), "-1", "1.5"])
def test_malformed_ids_are_4xx(client, mworld, bad):
    client.force_login(mworld.hr)
    for url in (URL, "/pemantauan/", "/pemantauan/csv/"):
        for params in ({"scope": "agency", "id": bad}, {"scope": "agency", "weeks": bad}, {"unit": bad}):
            assert client.get(url, params).status_code < 500, (url, params)
    assert client.get(f"/api/v1/monitoring/reports/{2**63}").status_code == 404
    assert client.get(f"/pemantauan/laporan/{2**63}/").status_code == 404


@pytest.mark.django_db
def test_before_after_around_a_chosen_start(client, mworld):
    # Start Tue 3 Nov, 1 week: before = 27 Oct-2 Nov (Monday's 4 records: 1 of 4 absent,
    # 1 of 4 away as planned, 1 deviation); after = 3-9 Nov (no records).
    data = get(client, mworld.hr, scope="agency", weeks=1, since="2026-11-03").json()
    before_after = rows(data, "before_after")
    assert before_after["Tidak hadir (% hari tercatat)"] == [25.0, None, None]
    assert before_after["Hari di luar kantor (% hari tercatat)"][0] == 50.0
    assert table(data, "before_after")["rows"]
    default = rows(get(client, mworld.hr, scope="agency", weeks=1).json(), "before_after")
    # Default start: the first approved day (Mon 2 Nov): Monday's records are "after".
    assert default["Tidak hadir (% hari tercatat)"] == [None, 25.0, None]
