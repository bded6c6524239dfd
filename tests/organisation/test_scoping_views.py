"""Every page and endpoint is scoped: another unit or agency gets 404, anonymous a redirect/401."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    EmployeeFactory,
    UnitFactory,
    UserFactory,
    make_agency_role,
    make_head,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    unit_a = UnitFactory()
    sub_a = UnitFactory(agency=unit_a.agency, parent=unit_a)
    unit_b = UnitFactory(agency=unit_a.agency)
    other_agency_unit = UnitFactory()
    head_a = make_head(unit_a)
    emp_a = EmployeeFactory(unit=unit_a)
    emp_sub = EmployeeFactory(unit=sub_a)
    emp_b = EmployeeFactory(unit=unit_b)
    foreign = EmployeeFactory(unit=other_agency_unit)
    hr = make_agency_role(unit_a.agency)
    return {"unit_a": unit_a, "sub_a": sub_a, "unit_b": unit_b, "head_a": head_a, "emp_a": emp_a,
            "emp_sub": emp_sub, "emp_b": emp_b, "foreign": foreign, "hr": hr, "other_unit": other_agency_unit}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


PAGES = ["home", "organisation:unit_tree", "organisation:employee_list", "organisation:import", "accounts:tokens"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_redirected_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_employee_detail_redirects(client, world):
    response = client.get(reverse("organisation:employee_detail", args=[world["emp_a"].pk]))
    assert response.status_code == 302


def test_employee_sees_only_self(client, world):
    login(client, world["emp_a"].user)
    assert client.get(reverse("organisation:employee_detail", args=[world["emp_a"].pk])).status_code == 200
    for other in ("emp_b", "emp_sub", "head_a", "foreign"):
        assert client.get(reverse("organisation:employee_detail", args=[world[other].pk])).status_code == 404


def test_head_sees_own_subtree_not_sibling_nor_other_agency(client, world):
    login(client, world["head_a"].user)
    for ok in ("emp_a", "emp_sub"):
        assert client.get(reverse("organisation:employee_detail", args=[world[ok].pk])).status_code == 200
    for other in ("emp_b", "foreign"):
        assert client.get(reverse("organisation:employee_detail", args=[world[other].pk])).status_code == 404
    listing = client.get(reverse("organisation:employee_list")).content.decode()
    assert world["emp_sub"].name in listing and world["emp_b"].name not in listing


def test_hr_admin_sees_agency_not_other_agency(client, world):
    login(client, world["hr"])
    assert client.get(reverse("organisation:employee_detail", args=[world["emp_b"].pk])).status_code == 200
    assert client.get(reverse("organisation:employee_detail", args=[world["foreign"].pk])).status_code == 404
    tree = client.get(reverse("organisation:unit_tree") + f"?instansi={world['other_unit'].agency_id}")
    assert tree.status_code == 404


def test_directory_search_and_paging(client, world):
    login(client, world["hr"])
    response = client.get(reverse("organisation:employee_list"), {"q": world["emp_b"].nip[:12]})
    assert world["emp_b"].name in response.content.decode()
    assert world["emp_a"].name not in response.content.decode()


def test_directory_query_count_is_fixed(client, world, django_assert_max_num_queries):
    for _ in range(30):
        EmployeeFactory(unit=world["unit_b"])
    login(client, world["hr"])
    with django_assert_max_num_queries(9):
        assert client.get(reverse("organisation:employee_list")).status_code == 200


def test_unit_tree_query_count_is_fixed(client, world, django_assert_max_num_queries):
    for i in range(20):
        UnitFactory(agency=world["unit_a"].agency, parent=world["unit_a"], code=f"X{i}")
    login(client, world["hr"])
    with django_assert_max_num_queries(9):
        assert client.get(reverse("organisation:unit_tree")).status_code == 200


def test_home_renders_for_every_role(client, world):
    monitor = UserFactory(is_national_monitor=True)
    for user in (world["emp_a"].user, world["head_a"].user, world["hr"], monitor):
        client.logout()
        login(client, user)
        assert client.get(reverse("home")).status_code == 200


def test_login_by_email_and_nip(client, world):
    user = world["emp_a"].user
    assert client.login(username=user.email, password=PASSWORD)
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    client.logout()
    assert not client.login(username=user.username, password="salah")


def test_pages_are_indonesian_by_default(client, world):
    login(client, world["emp_a"].user)
    html = client.get(reverse("home")).content.decode()
    assert "Beranda" in html and 'lang="id"' in html
