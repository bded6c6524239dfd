"""The PermenPANRB 6/2022 rating matrix: work results x behaviour -> the period's predikat.

Pure Python, table-driven. The matrix is not symmetric (REGULATION.md, "Performance"), so it is
kept as a table and never derived. Aggregation helpers turn many ratings (one per planned output,
one per BerAKHLAK value) into the single work-results and behaviour ratings the matrix takes.
"""

from __future__ import annotations

from collections.abc import Iterable

from fleksi.policy.enums import Choice


class Expectation(Choice):
    """A rating against the superior's expectation (PermenPANRB 6/2022)."""

    BELOW = "below", "Di bawah ekspektasi", "Below expectation"
    MEETS = "meets", "Sesuai ekspektasi", "Meets expectation"
    ABOVE = "above", "Di atas ekspektasi", "Above expectation"


class Predikat(Choice):
    """The period rating (predikat kinerja pegawai)."""

    SANGAT_BAIK = "sangat_baik", "Sangat Baik", "Very good"
    BAIK = "baik", "Baik", "Good"
    BUTUH_PERBAIKAN = "butuh_perbaikan", "Butuh Perbaikan", "Needs improvement"
    KURANG = "kurang", "Kurang/Misconduct", "Poor/Misconduct"
    SANGAT_KURANG = "sangat_kurang", "Sangat Kurang", "Very poor"


class BehaviourValue(Choice):
    """The seven BerAKHLAK core values (perilaku kerja)."""

    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan", "Berorientasi Pelayanan", "Service-oriented"
    AKUNTABEL = "akuntabel", "Akuntabel", "Accountable"
    KOMPETEN = "kompeten", "Kompeten", "Competent"
    HARMONIS = "harmonis", "Harmonis", "Harmonious"
    LOYAL = "loyal", "Loyal", "Loyal"
    ADAPTIF = "adaptif", "Adaptif", "Adaptive"
    KOLABORATIF = "kolaboratif", "Kolaboratif", "Collaborative"


E = Expectation
P = Predikat

#: (hasil kerja, perilaku kerja) -> predikat, exactly REGULATION.md's table.
MATRIX: dict[tuple[Expectation, Expectation], Predikat] = {
    (E.ABOVE, E.BELOW): P.KURANG,
    (E.ABOVE, E.MEETS): P.BAIK,
    (E.ABOVE, E.ABOVE): P.SANGAT_BAIK,
    (E.MEETS, E.BELOW): P.KURANG,
    (E.MEETS, E.MEETS): P.BAIK,
    (E.MEETS, E.ABOVE): P.BAIK,
    (E.BELOW, E.BELOW): P.SANGAT_KURANG,
    (E.BELOW, E.MEETS): P.BUTUH_PERBAIKAN,
    (E.BELOW, E.ABOVE): P.BUTUH_PERBAIKAN,
}

_SCORE = {E.BELOW: 0, E.MEETS: 1, E.ABOVE: 2}


def predikat(*, work_result: Expectation, behaviour: Expectation) -> Predikat:
    """The period rating for a work-results rating and a behaviour rating."""
    return MATRIX[(Expectation(work_result), Expectation(behaviour))]


def aggregate(ratings: Iterable[Expectation]) -> Expectation:
    """One rating from many (per output or per BerAKHLAK value), Fleksi's reading.

    PermenPANRB 6/2022 leaves the combination to the superior's judgement; Fleksi proposes the
    rounded mean (below=0, meets=1, above=2; .5 rounds towards "meets"), the head may override.
    Raises ``ValueError`` on an empty list: a period cannot be rated with nothing rated.
    """
    values = [_SCORE[Expectation(r)] for r in ratings]
    if not values:
        raise ValueError("no ratings")
    mean = sum(values) / len(values)
    if mean < 0.5:
        return E.BELOW
    if mean > 1.5:
        return E.ABOVE
    return E.MEETS
