
import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from fleksi.core.api_pagination import Pagination

from . import selectors

router = Router(tags=["organisasi"])


class UnitOut(Schema):
    id: int
    agency_id: int
    code: str
    name: str
    parent_id: int | None
    head_id: int | None
    head_name: str | None
    time_zone: str
    depth: int
    employee_count: int


class EmployeeOut(Schema):
    id: int
    agency_id: int
    nip: str
    name: str
    kind: str
    unit_id: int
    unit_code: str
    position: str
    supervisor_id: int | None
    position_start: dt.date | None
    email: str
    tasks_eligible: bool
    field_work: bool
    time_flexibility: str
    disciplinary: bool
    excluded: bool


class EmployeeFilter(Schema):
    q: str = ""
    unit_id: int | None = None


def _unit_out(u: object) -> UnitOut:
    head = u.head  # type: ignore[attr-defined]
    return UnitOut(
        id=u.pk, agency_id=u.agency_id, code=u.code, name=u.name, parent_id=u.parent_id,  # type: ignore[attr-defined]
        head_id=head.pk if head else None, head_name=head.name if head else None,
        time_zone=u.time_zone, depth=u.depth, employee_count=getattr(u, "employee_count", 0),  # type: ignore[attr-defined]
    )


def _employee_out(e: object) -> EmployeeOut:
    return EmployeeOut(
        id=e.pk, agency_id=e.agency_id, nip=e.nip, name=e.name, kind=e.kind, unit_id=e.unit_id,  # type: ignore[attr-defined]
        unit_code=e.unit.code, position=e.position.title, supervisor_id=e.supervisor_id,  # type: ignore[attr-defined]
        position_start=e.position_start, email=e.email, tasks_eligible=e.tasks_eligible,  # type: ignore[attr-defined]
        field_work=e.field_work, time_flexibility=e.time_flexibility,  # type: ignore[attr-defined]
        disciplinary=e.disciplinary, excluded=e.excluded,  # type: ignore[attr-defined]
    )


@router.get("/units", response=list[UnitOut], summary="Unit organisasi yang terlihat oleh pengguna")
@paginate(Pagination)
def units(request: HttpRequest) -> object:
    return _LazyMap(selectors.unit_list(actor=request.user), _unit_out)


@router.get("/units/{unit_id}", response=UnitOut, summary="Satu unit organisasi")
def unit(request: HttpRequest, unit_id: int) -> UnitOut:
    return _unit_out(selectors.unit_get(actor=request.user, unit_id=unit_id))


@router.get("/employees", response=list[EmployeeOut], summary="Pegawai dalam cakupan pengguna")
@paginate(Pagination)
def employees(request: HttpRequest, filters: Query[EmployeeFilter]) -> object:
    qs = selectors.employee_list(actor=request.user, search=filters.q, unit_id=filters.unit_id)
    return _LazyMap(qs, _employee_out)


@router.get("/employees/{employee_id}", response=EmployeeOut, summary="Satu pegawai")
def employee(request: HttpRequest, employee_id: int) -> EmployeeOut:
    return _employee_out(selectors.employee_get(actor=request.user, employee_id=employee_id))


class _LazyMap:
    """Lets the paginator slice the queryset in SQL, then maps the page's rows."""

    def __init__(self, qs: object, fn: object) -> None:
        self.qs, self.fn = qs, fn

    def count(self) -> int:
        return self.qs.count()  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[object]:
        return [self.fn(x) for x in self.qs[item]]  # type: ignore[index,operator]
