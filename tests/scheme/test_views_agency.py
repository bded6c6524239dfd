"""The agency settings area (HR admin / PPK), one page per section: scheme and approval chain,
the agency policy (looser values refused with the policy core's message, naming the field's
label), the per-unit minimums from the unit tree, offices, permitted places and national
flexible-work days."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from fleksi.organisation.models import AgencyOffice, PermittedPlace
from fleksi.scheme.forms import headcount_supported
from fleksi.scheme.models import AgencyFlexDay
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user) -> None:
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


POLICY = {
    "max_location_days_per_week": "1",
    "new_in_position_months": "12",
    "min_office_share": "0,5",
    "national_flex_days_count_toward_cap": "on",
    "extra_non_working_days": "2026-12-24\n2026-07-01",
}


def page(client, world, section):
    url = reverse("scheme:agency_settings", args=[world.agency.pk])
    return client.get(url, {"bagian": section}).content.decode()


def test_settings_page_explains_confidence_m_settings(client, world):
    login(client, world.hr)
    html = page(client, world, "kebijakan")
    assert world.agency.name in html
    assert "berkeyakinan M" in html and "dapat disesuaikan instansi" in html
    assert 'name="max_location_days_per_week" value="2"' in html  # the regulation's default


def test_general_settings_are_saved(client, world):
    login(client, world.ppk)
    url = reverse("scheme:agency_settings_general", args=[world.agency.pk])
    response = client.post(url, {"approval_supervisor_first": "on", "reminder_after_days": "5"})
    assert response.status_code == 302
    world.agency.refresh_from_db()
    assert not world.agency.flexible_work_enabled and world.agency.approval_supervisor_first
    assert world.agency.reminder_after_days == 5
    response = client.post(url, {"flexible_work_enabled": "on", "reminder_after_days": "0"})
    assert response.status_code == 422
    world.agency.refresh_from_db()
    assert not world.agency.flexible_work_enabled


def test_policy_is_saved_as_policy_json(client, world):
    # The per-unit shares are set in their own table now: the policy form keeps them (and
    # every stored key it does not own).
    world.agency.policy = {"min_office_share": {"*": 0.1, "U": 0.75}, "ramadan": None}
    world.agency.save(update_fields=["policy"])
    login(client, world.hr)
    response = client.post(reverse("scheme:agency_policy", args=[world.agency.pk]), POLICY)
    assert response.status_code == 302 and response["Location"].endswith("?bagian=kebijakan")
    world.agency.refresh_from_db()
    assert world.agency.policy == {
        "max_location_days_per_week": 1,
        "new_in_position_months": 12,
        "min_office_share": {"*": 0.5, "U": 0.75},
        "national_flex_days_count_toward_cap": True,
        "extra_non_working_days": ["2026-07-01", "2026-12-24"],
        "ramadan": None,
    }
    html = page(client, world, "kebijakan")
    assert 'name="max_location_days_per_week" value="1"' in html


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("max_location_days_per_week", "3", "paling banyak 2 hari kerja per minggu, PermenPANRB 4/2025 Pasal 13"),
        ("new_in_position_months", "3", "paling sedikit 6"),
        ("min_office_share", "1,5", "harus angka 0 sampai 1"),
    ],
)
def test_looser_policy_shows_the_policy_cores_message_and_changes_nothing(client, world, field, value, words):
    world.agency.policy = {"max_location_days_per_week": 2}
    world.agency.save(update_fields=["policy"])
    login(client, world.hr)
    response = client.post(reverse("scheme:agency_policy", args=[world.agency.pk]), POLICY | {field: value})
    assert response.status_code == 422
    html = response.content.decode()
    assert words in html
    assert f'id="id_{field}_error"' in html
    world.agency.refresh_from_db()
    assert world.agency.policy == {"max_location_days_per_week": 2}


def test_policy_form_refuses_what_it_cannot_read(client, world):
    login(client, world.hr)
    response = client.post(
        reverse("scheme:agency_policy", args=[world.agency.pk]),
        POLICY | {"extra_non_working_days": "besok", "max_location_days_per_week": "dua"},
    )
    html = response.content.decode()
    assert response.status_code == 422 and "besok bukan tanggal" in html
    summary = html.split('class="card error-summary"')[1].split("</div>")[0]
    assert "Hari libur instansi tambahan: besok bukan tanggal" in summary
    assert "Paling banyak hari kerja di luar kantor per minggu:" in summary
    assert 'href="#id_extra_non_working_days"' in summary


def test_offices_add_edit_and_deactivate(client, world):
    login(client, world.hr)
    add = reverse("scheme:office_add", args=[world.agency.pk])
    assert client.post(add, {"kantor-name": "Kantor Wilayah I", "kantor-address": "Jl. Merdeka 1", "kantor-is_active": "on"}).status_code == 302
    office = AgencyOffice.objects.get(agency=world.agency)
    edit = reverse("scheme:office_edit", args=[world.agency.pk, office.pk])
    assert 'value="Kantor Wilayah I"' in client.get(edit).content.decode()
    assert client.post(edit, {"kantor-name": "Kantor Wilayah I", "kantor-address": "Jl. Merdeka 1"}).status_code == 302
    office.refresh_from_db()
    assert not office.is_active
    response = client.post(add, {"kantor-name": "kantor wilayah i", "kantor-is_active": "on"})
    assert response.status_code == 422 and "sudah dipakai" in response.content.decode()
    assert AgencyOffice.objects.count() == 1


def test_places_add_and_edit(client, world):
    login(client, world.ppk)
    add = reverse("scheme:place_add", args=[world.agency.pk])
    assert client.post(add, {"lokasi-name": "Perpustakaan Daerah", "lokasi-is_active": "on"}).status_code == 302
    place = PermittedPlace.objects.get(agency=world.agency)
    edit = reverse("scheme:place_edit", args=[world.agency.pk, place.pk])
    assert client.post(edit, {"lokasi-name": "Perpustakaan Kota", "lokasi-is_active": "on"}).status_code == 302
    place.refresh_from_db()
    assert place.name == "Perpustakaan Kota"
    assert "Perpustakaan Kota" in page(client, world, "lokasi")


def test_tampered_office_or_place_of_another_agency_is_404(client, world):
    foreign_office = AgencyOffice.objects.create(agency=world.foreign_agency, name="Kantor Asing")
    foreign_place = PermittedPlace.objects.create(agency=world.foreign_agency, name="Tempat Asing")
    login(client, world.hr)
    edit = reverse("scheme:office_edit", args=[world.agency.pk, foreign_office.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"kantor-name": "Diambil alih", "kantor-is_active": "on"}).status_code == 404
    edit = reverse("scheme:place_edit", args=[world.agency.pk, foreign_place.pk])
    assert client.post(edit, {"lokasi-name": "Diambil alih"}).status_code == 404
    foreign_office.refresh_from_db()
    foreign_place.refresh_from_db()
    assert foreign_office.name == "Kantor Asing" and foreign_place.name == "Tempat Asing"


def test_national_flex_days_declare_and_remove(client, world):
    login(client, world.hr)
    add = reverse("scheme:flex_day_add", args=[world.agency.pk])
    response = client.post(add, {"hari-date": "2026-12-24", "hari-circular": "SE MenPANRB 9/2026", "hari-max_share": "0.5"})
    assert response.status_code == 302
    day = AgencyFlexDay.objects.get(agency=world.agency)
    assert day.date == dt.date(2026, 12, 24) and day.circular == "SE MenPANRB 9/2026"
    html = page(client, world, "hari")
    assert "SE MenPANRB 9/2026" in html and "50%" in html
    response = client.post(add, {"hari-date": "2026-12-28", "hari-circular": "", "hari-max_share": "2"})
    assert response.status_code == 422
    assert AgencyFlexDay.objects.count() == 1
    foreign_day = AgencyFlexDay.objects.create(agency=world.foreign_agency, date=day.date, circular="SE")
    remove_foreign = reverse("scheme:flex_day_remove", args=[world.agency.pk, foreign_day.pk])
    assert client.post(remove_foreign).status_code == 404
    assert client.post(reverse("scheme:flex_day_remove", args=[world.agency.pk, day.pk])).status_code == 302
    assert list(AgencyFlexDay.objects.values_list("pk", flat=True)) == [foreign_day.pk]


def test_settings_page_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    login(client, world.hr)
    url = reverse("scheme:agency_settings", args=[world.agency.pk]) + "?bagian=kantor"
    AgencyOffice.objects.create(agency=world.agency, name="Kantor 0")
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    AgencyOffice.objects.bulk_create(AgencyOffice(agency=world.agency, name=f"Kantor {i}") for i in range(1, 20))
    PermittedPlace.objects.bulk_create(PermittedPlace(agency=world.agency, name=f"Tempat {i}") for i in range(20))
    AgencyFlexDay.objects.bulk_create(
        AgencyFlexDay(agency=world.agency, date=dt.date(2026, 12, 1) + dt.timedelta(days=i), circular="SE") for i in range(10)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Kantor ") >= 20


def test_settings_area_is_one_page_per_section(client, world):
    login(client, world.hr)
    url = reverse("scheme:agency_settings", args=[world.agency.pk])
    entry = client.get(url).content.decode()
    nav = entry.split('class="settings-tabs"')[1].split("</nav>")[0]
    for section in ("umum", "kebijakan", "unit", "kantor", "lokasi", "hari"):
        assert f"?bagian={section}" in nav
    assert nav.count('aria-current="page"') == 1
    assert entry.count('action="/kerja-fleksibel/instansi/') == 1 and "reminder_after_days" in entry  # the first section only
    assert "max_location_days_per_week" not in entry and "kantor-name" not in entry
    policy = page(client, world, "kebijakan")
    assert 'name="max_location_days_per_week"' in policy and "reminder_after_days" not in policy
    assert "reminder_after_days" in page(client, world, "tidak-ada")  # unknown: the first


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("max_location_days_per_week", "Paling banyak hari kerja di luar kantor per minggu"),
        ("new_in_position_months", "Masa &#x27;baru dalam jabatan&#x27; (bulan)"),
        ("min_office_share", "Porsi minimum pegawai di kantor per unit per hari"),
    ],
)
def test_policy_errors_name_the_fields_label_not_its_key(client, world, field, label):
    login(client, world.hr)
    bad = {"max_location_days_per_week": "3", "new_in_position_months": "3", "min_office_share": "1,5"}
    response = client.post(reverse("scheme:agency_policy", args=[world.agency.pk]), POLICY | {field: bad[field]})
    html = response.content.decode()
    error = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert field not in error and label in error
    summary = html.split('class="card error-summary"')[1].split("</div>")[0]
    assert field not in summary.replace(f'href="#id_{field}"', "") and label in summary
    assert summary.count(label) == 1  # named once, not "label: label: ..."
    assert "'*'" not in html


def test_unit_table_lists_the_agencys_tree_indented(client, world):
    world.agency.policy = {"min_office_share": {"*": 0.2, "U": 0.5}}
    world.agency.save(update_fields=["policy"])
    login(client, world.hr)
    html = page(client, world, "unit")
    table = html.split('class="unit-minimums"')[1].split("</table>")[0]
    order = re.findall(r'name="share:([^"]+)"', table)
    # tree order, by name within a parent: R > U (Unit n) > S, then V (created after U)
    assert order == ["R", "U", "S", "V"]
    assert world.foreign_unit.code not in order
    assert 'class="depth-0"' in table and 'class="depth-1"' in table and 'class="depth-2"' in table
    assert world.unit.name in table and world.sub.name in table
    assert f'name="share:U" id="share-{world.unit.pk}" value="50"' in table
    assert "KODE_UNIT" not in html


def test_unit_table_saves_shares_and_headcounts_in_policy_json_shape(client, world):
    world.agency.policy = {"max_location_days_per_week": 1, "min_office_share": {"*": 0.2, "GONE": 0.9}}
    world.agency.save(update_fields=["policy"])
    login(client, world.hr)
    url = reverse("scheme:agency_policy", args=[world.agency.pk])
    assert "GONE" in page(client, world, "unit")  # a stale code is pointed out
    response = client.post(url, {"bagian": "unit", "share:U": "50", "share:S": "12,5%", "share:V": "",
                                 "headcount:U": "2", "headcount:S": ""})
    assert response.status_code == 302 and response["Location"].endswith("?bagian=unit")
    world.agency.refresh_from_db()
    expected = {"max_location_days_per_week": 1, "min_office_share": {"*": 0.2, "U": 0.5, "S": 0.125}}
    if headcount_supported():
        expected["min_office_headcount"] = {"U": 2}
    assert world.agency.policy == expected
    html = page(client, world, "unit")
    assert f'name="share:S" id="share-{world.sub.pk}" value="12,5"' in html


def test_unit_table_refuses_unknown_unit_codes_and_bad_values(client, world):
    world.agency.policy = {"min_office_share": {"*": 0.0}}
    world.agency.save(update_fields=["policy"])
    login(client, world.hr)
    url = reverse("scheme:agency_policy", args=[world.agency.pk])
    response = client.post(url, {"bagian": "unit", "share:U": "50", f"share:{world.foreign_unit.code}": "60"})
    html = response.content.decode()
    assert response.status_code == 422
    assert f"Kode unit &quot;{world.foreign_unit.code}&quot; tidak dikenal di instansi ini" in html
    response = client.post(url, {"bagian": "unit", "share:U": "150", "share:V": "lima puluh"})
    html = response.content.decode()
    assert response.status_code == 422
    assert f"{world.unit.name}: minimum di kantor harus angka 0 sampai 100 (%)." in html
    assert f"{world.sibling.name}: minimum di kantor harus angka 0 sampai 100 (%)." in html
    assert 'value="lima puluh"' in html  # what was typed stays
    world.agency.refresh_from_db()
    assert world.agency.policy == {"min_office_share": {"*": 0.0}}
