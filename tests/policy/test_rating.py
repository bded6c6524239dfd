"""The PermenPANRB 6/2022 matrix, all nine cells (REGULATION.md), without Django."""

import pytest

from fleksi.policy.rating import MATRIX, BehaviourValue, Expectation, Predikat, aggregate, predikat

E = Expectation


@pytest.mark.parametrize(
    ("work", "behaviour", "expected"),
    [
        (E.ABOVE, E.BELOW, "Kurang/Misconduct"),
        (E.ABOVE, E.MEETS, "Baik"),
        (E.ABOVE, E.ABOVE, "Sangat Baik"),
        (E.MEETS, E.BELOW, "Kurang/Misconduct"),
        (E.MEETS, E.MEETS, "Baik"),
        (E.MEETS, E.ABOVE, "Baik"),
        (E.BELOW, E.BELOW, "Sangat Kurang"),
        (E.BELOW, E.MEETS, "Butuh Perbaikan"),
        (E.BELOW, E.ABOVE, "Butuh Perbaikan"),
    ],
)
def test_all_nine_cells(work: Expectation, behaviour: Expectation, expected: str) -> None:
    assert predikat(work_result=work, behaviour=behaviour).label_id == expected
    assert predikat(work_result=Expectation(work.value), behaviour=behaviour.value).label_id == expected  # type: ignore[arg-type]


def test_table_is_complete_and_not_symmetric() -> None:
    assert len(MATRIX) == 9
    assert MATRIX[(E.ABOVE, E.BELOW)] != MATRIX[(E.BELOW, E.ABOVE)]
    assert set(MATRIX.values()) == set(Predikat)


def test_seven_berakhlak_values() -> None:
    assert [v.label_id for v in BehaviourValue] == [
        "Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif",
    ]


def test_aggregate() -> None:
    assert aggregate([E.MEETS]) is E.MEETS
    assert aggregate([E.ABOVE, E.ABOVE, E.MEETS]) is E.ABOVE
    assert aggregate([E.BELOW, E.MEETS]) is E.MEETS
    assert aggregate([E.BELOW, E.BELOW, E.MEETS]) is E.BELOW
    assert aggregate([E.ABOVE, E.MEETS]) is E.MEETS
    with pytest.raises(ValueError, match="no ratings"):
        aggregate([])
