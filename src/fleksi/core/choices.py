"""The law's vocabulary, defined once in the policy core, as Django choices.

``fleksi.policy`` names the enums the regulation names (location kinds, time kinds, employee
kinds, time flexibility); models reuse them through ``text_choices`` instead of repeating the
values and labels.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy


def text_choices(name: str, enum: Any) -> Any:
    """A ``models.TextChoices`` with the policy enum's members, values and (translatable)
    Indonesian labels."""
    members = [(member, (value, gettext_lazy(label))) for member, (value, label) in enum.text_choices()]
    return models.TextChoices(name, members)  # type: ignore[call-overload]
