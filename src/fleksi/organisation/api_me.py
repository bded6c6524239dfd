
from django.http import HttpRequest
from ninja import Router, Schema

from .scoping import scope_for
from .selectors import employee_for_user

router = Router(tags=["akun"])


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    language: str
    roles: list[str]
    employee_id: int | None
    agency_ids: list[int]
    head_of_unit_ids: list[int]


@router.get("/me", response=MeOut, summary="Pengguna saat ini dan perannya")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    scope = scope_for(user)
    employee = employee_for_user(user=user)
    return MeOut(
        id=int(user.pk or 0),
        username=user.get_username(),
        full_name=employee.name if employee else user.get_full_name(),  # type: ignore[union-attr]
        email=user.email,  # type: ignore[union-attr]
        language=user.language,  # type: ignore[union-attr]
        roles=list(scope.roles),
        employee_id=scope.employee_id,
        agency_ids=sorted(scope.member_agency_ids),
        head_of_unit_ids=sorted(scope.head_unit_ids),
    )
