"""The dashboard pages: each scope renders with SVG charts, tables and CSV links; scoping
(404); the national page hides small cells and names nobody; query counts pinned."""

from __future__ import annotations

import pytest

from .conftest import FROM, TO

URL = "/pemantauan/"


def page(client, user, **params):
    client.force_login(user)
    params.setdefault("from", FROM.isoformat())
    params.setdefault("to", TO.isoformat())
    return client.get(URL, params)


@pytest.mark.django_db
@pytest.mark.parametrize("who,scope", [("head", "unit"), ("hr", "agency"), ("monitor", "national")])
def test_each_dashboard_renders(client, mworld, who, scope, django_assert_max_num_queries):
    user = {"head": mworld.head.user, "hr": mworld.hr, "monitor": mworld.monitor}[who]
    client.force_login(user)
    with django_assert_max_num_queries(60):
        response = client.get(URL, {"scope": scope, "from": FROM, "to": TO})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<table>" in html and "table=adoption" in html
    assert "<script>" not in html and 'style="' not in html


@pytest.mark.django_db
def test_default_dashboard_of_a_head_is_the_unit(client, mworld):
    html = page(client, mworld.head.user).content.decode()
    assert mworld.unit.name in html


@pytest.mark.django_db
def test_page_scoping(client, mworld):
    assert page(client, mworld.head.user, scope="unit", id=mworld.root.pk).status_code == 404
    assert page(client, mworld.head.user, scope="national").status_code == 404
    assert page(client, mworld.other_hr, scope="agency", id=mworld.agency.pk).status_code == 404
    assert page(client, mworld.staff[0].user).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


@pytest.mark.django_db
def test_national_page_and_csv_suppress_and_name_nobody(client, mworld):
    html = page(client, mworld.monitor, scope="national").content.decode()
    assert "&lt; 5" in html
    csv = page(client, mworld.monitor, scope="national").client.get(
        "/pemantauan/csv/", {"scope": "national", "from": FROM, "to": TO, "table": "attendance"}
    ).content.decode()
    assert "< 5" in csv
    for name in mworld.names + mworld.nips + [mworld.unit.name]:
        assert name not in html and name not in csv


@pytest.mark.django_db
def test_filter_by_location_and_unit(client, mworld):
    response = page(client, mworld.hr, scope="unit", id=mworld.unit.pk, location="rumah")
    assert response.status_code == 200
    assert 'value="rumah" selected' in response.content.decode()
