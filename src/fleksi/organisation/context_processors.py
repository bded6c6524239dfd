from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .scoping import role_labels, scope_for


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"scope": None, "role_labels": []}
    scope = scope_for(user)
    return {"scope": scope, "role_labels": role_labels(scope)}
