"""Policy findings as the UI and the API show them, always with rule code and legal basis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from fleksi.policy.model import (
    Finding,
    RuleCode,
    Severity,
)


@dataclass(frozen=True)
class FindingView:
    """One finding as the UI and the API show it: the rule code and its legal basis always."""

    code: str
    severity: str
    basis: str
    message: str
    date: dt.date | None
    week: str | None
    numbers: dict[str, Any] = field(default_factory=dict)
    title: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR.value

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "basis": self.basis,
            "message": self.message,
            "date": self.date.isoformat() if self.date else None,
            "week": self.week,
            "numbers": dict(self.numbers),
        }


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def finding_view(finding: Finding, lang: str | None = None) -> FindingView:
    lang = lang or _lang()
    info = finding.code.info
    return FindingView(
        code=finding.code.value,
        severity=finding.severity.value,
        basis=finding.basis,
        message=finding.message(lang),
        date=finding.date,
        week=finding.week,
        numbers=dict(finding.numbers),
        title=info.title_en if lang == "en" else info.title_id,
    )


def finding_store(finding: Finding) -> dict[str, Any]:
    """A finding as kept in ``FlexRequest.findings`` (both languages, JSON-safe)."""
    return {
        "code": finding.code.value,
        "severity": finding.severity.value,
        "basis": finding.basis,
        "date": finding.date.isoformat() if finding.date else None,
        "week": finding.week,
        "message_id": finding.message_id,
        "message_en": finding.message_en,
        "numbers": dict(finding.numbers),
    }


def stored_finding_views(
    stored: Iterable[Mapping[str, Any]], lang: str | None = None
) -> list[FindingView]:
    """``FlexRequest.findings`` back as views in the active language."""
    lang = lang or _lang()
    out = []
    for item in stored or ():
        code = str(item.get("code", ""))
        try:
            info = RuleCode(code).info
            title = info.title_en if lang == "en" else info.title_id
        except ValueError:
            title = ""
        date = item.get("date")
        out.append(
            FindingView(
                code=code,
                severity=str(item.get("severity", "")),
                basis=str(item.get("basis", "")),
                message=str(item.get("message_en" if lang == "en" else "message_id", "")),
                date=dt.date.fromisoformat(date) if date else None,
                week=item.get("week"),
                numbers=dict(item.get("numbers") or {}),
                title=title,
            )
        )
    return out
