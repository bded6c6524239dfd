"""The dashboard pages: each scope renders with SVG charts, tables and CSV links; scoping
(404); the national page hides small cells and names nobody; query counts pinned."""

from __future__ import annotations

import pytest

from .world import FROM, TO

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
    with django_assert_max_num_queries(55):
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


@pytest.mark.django_db
def test_unit_select_switches_scope(client, mworld):
    client.force_login(mworld.hr)
    base = {"scope": "agency", "agency": mworld.agency.pk, "from": FROM, "to": TO}
    unit = client.get(URL, {**base, "unit": mworld.unit.pk}).content.decode()
    assert f'<option value="{mworld.unit.pk}" selected>' in unit
    whole = client.get(URL, {**base, "unit": ""}).content.decode()
    assert '<option value="">' in whole and "selected>" not in whole.split('id="f-unit"')[1].split("</select>")[0]
    csv = client.get("/pemantauan/csv/", {**base, "unit": mworld.unit.pk, "table": "adoption"}).content.decode()
    assert "Bidang Layanan" in csv and "Sekretariat" not in csv


@pytest.mark.django_db(transaction=True)
def test_report_from_the_page(client, mworld, settings, tmp_path, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    client.force_login(mworld.hr)
    data = {"scope": "agency", "id": mworld.agency.pk, "from": FROM, "to": TO, "format": "pdf",
            "conclusions": "Baik", "recommendations": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/pemantauan/laporan/", data)
    assert response.status_code == 302
    status = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in status and "<html" not in status
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)
    done = client.get(response["Location"]).content.decode()
    assert "every 2s" not in done and "/unduh/" in done
    client.force_login(mworld.other_hr)
    assert client.get(response["Location"]).status_code == 404
    home = client.get(URL, {"scope": "agency", "from": FROM, "to": TO}).content.decode()
    assert response["Location"] not in home  # their own agency's page lists only its reports


@pytest.mark.django_db
def test_dashboard_in_english(client, mworld):
    client.force_login(mworld.hr)
    client.post("/akun/bahasa/", {"language": "en", "next": URL})
    html = client.get(URL, {"scope": "agency", "from": FROM, "to": TO}).content.decode()
    assert "Monitoring and evaluation" in html and "Employees with flexible working days" in html
    assert "Pegawai dengan hari kerja fleksibel" not in html
