"""Small factories: each test builds only what it needs."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from fleksi.accounts.models import User
from fleksi.organisation.models import (
    Agency,
    AgencyRole,
    AgencyRoleKind,
    Employee,
    OrgUnit,
    Position,
)

_serial = itertools.count(1)
PASSWORD = "rahasia-uji-123"


def make_nip(birth: dt.date = dt.date(1990, 1, 1), appointed: tuple[int, int] = (2015, 3), sex: int = 1, serial: int | None = None) -> str:
    serial = serial if serial is not None else (next(_serial) % 999) + 1
    return f"{birth:%Y%m%d}{appointed[0]:04d}{appointed[1]:02d}{sex}{serial:03d}"


_nips = (
    make_nip(dt.date(1970 + (i // 999) % 30, 1 + (i // 29) % 12, 1 + i % 28), (2000 + (i // 999) % 20, 1 + i % 12), 1 + i % 2, 1 + i % 999)
    for i in itertools.count(7)
)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"instansi-{n}")
    name = factory.Sequence(lambda n: f"Instansi Uji {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    parent = None

    @factory.post_generation
    def set_path(obj: OrgUnit, create: bool, extracted: object, **kwargs: object) -> None:
        parent_path = obj.parent.path if obj.parent else "/"
        obj.path = f"{parent_path}{obj.pk}/"
        obj.depth = obj.parent.depth + 1 if obj.parent else 0
        if create:
            obj.save(update_fields=["path", "depth"])


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("agency", "title")

    agency = factory.SubFactory(AgencyFactory)
    title = "Analis Kebijakan"
    can_work_outside_office = True
    needs_no_special_equipment = True
    can_use_ict = True
    minimal_face_to_face = True
    no_continuous_supervision = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.id")
    @factory.post_generation
    def password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        obj.set_password(PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    unit = factory.SubFactory(UnitFactory)
    agency = factory.LazyAttribute(lambda o: o.unit.agency)
    position = factory.LazyAttribute(lambda o: PositionFactory(agency=o.unit.agency))
    nip = factory.LazyFunction(lambda: next(_nips))
    name = factory.Sequence(lambda n: f"Pegawai {n}")
    domicile = factory.Sequence(lambda n: f"Jl. Contoh No. {n}")  # a home day needs one (Pasal 12 ayat (3))
    user = factory.LazyAttribute(lambda o: UserFactory(username=o.nip))


def make_head(unit: OrgUnit) -> Employee:
    head = EmployeeFactory(unit=unit)
    unit.head = head
    unit.save(update_fields=["head"])
    return head


def make_agency_role(agency: Agency, role: str = AgencyRoleKind.HR_ADMIN) -> User:
    user = UserFactory()
    AgencyRole.objects.create(user=user, agency=agency, role=role)
    return user
