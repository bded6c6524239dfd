"""Account security for HR and system admins: lift a login lockout, reset someone's 2FA.

HR admins act on the accounts of their agency's employees; system admins on every account.
Nobody resets their own 2FA here (another admin does it). Both writes are audited by
accounts. docs/decisions/150 and 153.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from fleksi.accounts import lockout, twofactor
from fleksi.accounts import selectors as account_selectors
from fleksi.accounts import services as account_services
from fleksi.core.errors import ApplicationError, ErrorCode

from .scoping import scope_for


@dataclass(frozen=True)
class AccountRow:
    user: Any
    agency_id: int | None
    lock: lockout.Lock | None = None


def _agencies_of(user: Any) -> set[int]:
    """The agencies an account belongs to: its employee record's, and those it has a role in
    (an HR admin may have no employee record). ``agency_roles`` is prefetched."""
    employee = getattr(user, "employee", None)  # a missing one-to-one is an AttributeError
    ids = {role.agency_id for role in user.agency_roles.all()}
    if employee is not None:
        ids.add(employee.agency_id)
    return ids


def _agency_of(user: Any) -> int | None:
    ids = sorted(_agencies_of(user))
    return ids[0] if ids else None


def _in_scope(actor: Any, user: Any) -> bool:
    scope = scope_for(actor)
    if scope.is_system_admin:
        return True
    if user.is_superuser or getattr(user, "is_national_monitor", False):
        return False
    agencies = _agencies_of(user)
    # Every agency of the account must be one the actor runs HR for (an HR admin of two
    # agencies is not reset by the HR of only one of them).
    return bool(agencies) and agencies <= set(scope.hr_agency_ids)


def may_manage_accounts(actor: Any) -> bool:
    scope = scope_for(actor)
    return scope.is_system_admin or bool(scope.hr_agency_ids)


def locked_accounts(*, actor: Any) -> list[AccountRow]:
    locks = lockout.locked_usernames()
    if not locks:
        return []
    users = {u.username: u for u in account_selectors.users_by_usernames(usernames=[lk.username for lk in locks])}
    return [
        AccountRow(user=users[lk.username], agency_id=_agency_of(users[lk.username]), lock=lk)
        for lk in locks
        if lk.username in users and _in_scope(actor, users[lk.username])
    ]


def enrolled_accounts(*, actor: Any) -> list[AccountRow]:
    ids = twofactor.enrolled_user_ids()
    users = account_selectors.users_by_ids(user_ids=ids).order_by("username") if ids else []
    return [AccountRow(user=u, agency_id=_agency_of(u)) for u in users if _in_scope(actor, u)]


def _account_for(actor: Any, user_id: int) -> Any:
    if not may_manage_accounts(actor):
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Akun tidak ditemukan."))
    user = account_selectors.user_get(user_id=user_id)
    if user is None or not _in_scope(actor, user):
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Akun tidak ditemukan."))
    return user


def account_unlock(*, actor: Any, user_id: int) -> Any:
    user = _account_for(actor, user_id)
    account_services.user_unlock(actor=actor, user=user, agency_id=_agency_of(user))
    return user


def account_twofactor_reset(*, actor: Any, user_id: int) -> Any:
    user = _account_for(actor, user_id)
    if user.pk == actor.pk:
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _("Verifikasi dua langkah akun Anda sendiri diatur ulang oleh admin lain."),
        )
    twofactor.twofactor_reset(actor=actor, user=user, agency_id=_agency_of(user))
    return user
