"""Two imports into one agency at the same time are serialised (row lock on the agency): the
second one reads the data the first one wrote, instead of inserting the same NIPs again."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from fleksi.organisation.importing import ImportReport, employees_import
from fleksi.organisation.models import Employee
from tests.factories import AgencyFactory

from .test_import_support import csv_bytes, small_org


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_agency_are_serialised() -> None:
    agency = AgencyFactory()
    data = csv_bytes(small_org())
    first_holds_lock = threading.Event()
    reports: dict[str, ImportReport] = {}
    errors: list[BaseException] = []

    def first_progress(message: str) -> None:
        if message.startswith("Menyimpan pegawai baru") and not first_holds_lock.is_set():
            first_holds_lock.set()
            threading.Event().wait(0.5)  # keep the transaction open while the second starts

    def run(name: str, progress) -> None:  # type: ignore[no-untyped-def]
        try:
            reports[name] = employees_import(
                actor=None, agency=agency, data=data, filename=f"{name}.csv", progress=progress
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first", first_progress))
    first.start()
    assert first_holds_lock.wait(10)
    second = threading.Thread(target=run, args=("second", None))
    second.start()
    first.join(20)
    second.join(20)
    assert errors == []
    assert reports["first"].employees_created == 8
    assert reports["second"].employees_created == 0 and reports["second"].employees_unchanged == 8
    assert Employee.objects.filter(agency=agency).count() == 8
