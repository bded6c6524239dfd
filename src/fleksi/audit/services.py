"""Writing the audit trail. Called inside the service's transaction."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    object_type: str = "",
    object_id: object = "",
    agency_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        agency_id=agency_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        data=data or {},
    )
