"""Complementary suppression in the national view (docs/decisions/171): a column with a shown
total and exactly one hidden cell hides its next smallest cell too, the same in the API, the
page and the CSV; along a row with a total column the same; agency views hide nothing."""

from __future__ import annotations

import pytest

from fleksi.monitoring.tables import SUPPRESSED, Cell, Table
from tests.factories import EmployeeFactory, UnitFactory

from .test_summary_api import get, rows
from .world import FROM, TO


@pytest.fixture
def three(mworld):
    """The small world (A: 8 employees, 3 with flexible days; B: 3, 2 with home days) and a
    third agency C of 6 employees without flexible days."""
    unit = UnitFactory(name="Unit C")
    for _ in range(6):
        EmployeeFactory(unit=unit)
    mworld.third = unit.agency
    return mworld


@pytest.mark.django_db
def test_the_next_smallest_cell_of_the_column_is_hidden_in_api_page_and_csv(client, three):
    a, b, c = three.agency.name, three.other.name, three.third.name
    adoption = rows(get(client, three.monitor, scope="national").json(), "adoption")
    # Employees: A 8, B 3 (< 5), C 6, total 17 shown: B = 17 - 8 - 6 unless one more is hidden:
    # C's 6, the smallest shown, goes; A's 8 stays.
    assert adoption[b][0] == SUPPRESSED and adoption[c][0] == SUPPRESSED
    assert adoption[a][0] == 8 and adoption["Jumlah"][0] == 17
    # With flexible days: A 3 and B 2 are both hidden already (two cells: nothing to add); C's 0
    # counts nobody and stays.
    assert adoption[a][1] == adoption[b][1] == SUPPRESSED and adoption[c][1] == 0

    csv = client.get(
        "/pemantauan/csv/", {"scope": "national", "from": FROM, "to": TO, "table": "adoption"}
    ).content.decode()
    assert f"{c},< 5," in csv and f"{a},8," in csv and f"{b},< 5,< 5" in csv

    html = client.get("/pemantauan/", {"scope": "national", "from": FROM, "to": TO}).content.decode()
    row_c = html.split(f'<th scope="row">{c}</th>')[1].split("</tr>")[0]
    assert row_c.startswith('<td class="num">&lt; 5</td>')


@pytest.mark.django_db
def test_the_agency_view_hides_nothing(client, three):
    adoption = rows(get(client, three.hr, scope="agency").json(), "adoption")
    assert SUPPRESSED not in [v for row in adoption.values() for v in row]


def test_rows_with_a_total_column_and_a_lone_row_protect_the_total():
    table = Table("t", "t", ["", "x", "y", "z", "Jumlah"], total_column=4)
    table.add("A", Cell(2, 2), Cell(7, 7), Cell(9, 9), Cell(18, 18))  # x < 5: y (the smaller) goes too
    table.add("B", Cell(6, 6), Cell(5, 5), Cell(8, 8), Cell(19, 19))
    assert table.shown_rows(suppress=True) == [
        ["A", SUPPRESSED, SUPPRESSED, 9, 18], ["B", 6, 5, 8, 19],
    ]
    assert table.shown_rows(suppress=False)[0] == ["A", 2, 7, 9, 18]
    lone = Table("l", "l", ["", "n"])
    lone.add("A", Cell(3, 3))
    lone.add_total("Jumlah", Cell(3, 7))  # shown on its own, but it is A's cell: hidden too
    assert lone.shown_rows(suppress=True) == [["A", SUPPRESSED], ["Jumlah", SUPPRESSED]]
