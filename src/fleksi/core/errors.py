"""The one error type of Fleksi: raised by services, rendered alike by the web and the API."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    VALIDATION = "validation_error"
    IMPORT_INVALID = "import_invalid"
    CONFLICT = "conflict"
    POLICY_VIOLATION = "policy_violation"
    POLICY_INVALID = "policy_invalid"
    INVALID_STATE = "invalid_state"
    UNAUTHENTICATED = "unauthenticated"
    INVALID_INPUT = "invalid_input"  # malformed at the HTTP level (a NUL byte, a bad request)
    METHOD_NOT_ALLOWED = "method_not_allowed"
    SERVER_ERROR = "server_error"


class ApplicationError(Exception):
    """A failure the user can understand: a stable code, a message, structured details."""

    status_by_code = {
        ErrorCode.NOT_FOUND: 404,
        ErrorCode.PERMISSION_DENIED: 403,
        ErrorCode.VALIDATION: 422,
        ErrorCode.IMPORT_INVALID: 422,
        ErrorCode.CONFLICT: 409,
        ErrorCode.POLICY_VIOLATION: 422,
        ErrorCode.POLICY_INVALID: 409,
        ErrorCode.INVALID_STATE: 409,
        ErrorCode.UNAUTHENTICATED: 401,
        ErrorCode.INVALID_INPUT: 400,
        ErrorCode.METHOD_NOT_ALLOWED: 405,
        ErrorCode.SERVER_ERROR: 500,
    }

    def __init__(self, code: ErrorCode, message: str, details: Any = None) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)
        self.details = details if details is not None else {}

    @property
    def status(self) -> int:
        return self.status_by_code.get(self.code, 400)

    def as_dict(self) -> dict[str, Any]:
        return {"code": str(self.code), "message": self.message, "details": self.details}


def not_found(what: str | None = None) -> ApplicationError:
    """NOT_FOUND for ``what`` (e.g. "Pengajuan"); the same answer whether it does not exist
    or the actor may not see it."""
    from django.utils.translation import gettext as _

    return ApplicationError(
        ErrorCode.NOT_FOUND, _("%(what)s tidak ditemukan.") % {"what": what or _("Data")}
    )


def validation_error(field: str, message: str) -> ApplicationError:
    """VALIDATION for one field, with the message under ``details["fields"][field]``."""
    return ApplicationError(ErrorCode.VALIDATION, message, {"fields": {field: message}})


def permission_denied(message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.PERMISSION_DENIED, message)
