"""The forms of the agency's settings: scheme and approval chain, policy, per-unit minimums,
national flexible days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fleksi.core.widgets import DateInput


class AgencySettingsForm(forms.Form):
    flexible_work_enabled = forms.BooleanField(
        label=_("Instansi menerapkan kerja fleksibel"),
        required=False,
        help_text=_(
            "Kerja fleksibel adalah skema yang dapat diterapkan instansi, bukan hak pegawai."
        ),
    )
    approval_supervisor_first = forms.BooleanField(
        label=_("Atasan langsung memeriksa lebih dulu, lalu pimpinan unit"),
        required=False,
    )
    schedule_needs_confirmation = forms.BooleanField(
        label=_("Jadwal hybrid yang diterbitkan perlu konfirmasi pegawai"),
        required=False,
        help_text=_(
            "Bila aktif, hari kerja dari jadwal unit yang diterbitkan pimpinan baru berlaku "
            "setelah pegawai mengonfirmasinya."
        ),
    )
    reminder_after_days = forms.IntegerField(
        label=_("Kirim pengingat bila pengajuan belum diputus setelah (hari)"),
        min_value=1,
        max_value=60,
    )
    session_idle_minutes = forms.IntegerField(
        label=_("Keluar otomatis setelah tidak aktif (menit)"),
        min_value=5,
        max_value=480,
        initial=30,
        required=False,
        help_text=_("Berlaku untuk semua akun instansi ini; sesi juga berakhir paling lama 12 jam setelah masuk."),
    )


def _parse_share(text: str) -> float:
    text = text.strip().replace(",", ".")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


class PolicyForm(forms.Form):
    """The agency's policy (policy.json keys). Values are NOT clamped here: a value looser than
    the regulation goes to the policy core, which refuses it with its own Indonesian message."""

    max_location_days_per_week = forms.IntegerField(
        label=_("Paling banyak hari kerja di luar kantor per minggu"),
        help_text=_("0, 1 atau 2 (PermenPANRB 4/2025 Pasal 13 ayat (1): paling banyak 2)."),
    )
    new_in_position_months = forms.IntegerField(
        label=_("Masa 'baru dalam jabatan' (bulan)"),
        help_text=_("Paling sedikit 6 bulan sejak TMT jabatan (PermenPANRB 4/2025 Pasal 25)."),
    )
    min_office_share = forms.CharField(
        label=_("Porsi minimum pegawai di kantor per unit per hari"),
        max_length=10,
        help_text=_("Angka 0 sampai 1, misalnya 0,5 untuk 50%."),
    )
    national_flex_days_count_toward_cap = forms.BooleanField(
        label=_("Hari kerja fleksibel nasional dihitung dalam batas hari per minggu"),
        required=False,
    )
    extra_non_working_days = forms.CharField(
        label=_("Hari libur instansi tambahan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu tanggal per baris (TTTT-BB-HH)."),
    )

    def clean_min_office_share(self) -> float:
        try:
            return _parse_share(self.cleaned_data["min_office_share"])
        except ValueError:
            raise ValidationError(_("Isi angka, misalnya 0,5."), code="invalid") from None

    def clean_extra_non_working_days(self) -> list[str]:
        days: set[dt.date] = set()
        for line in self.cleaned_data["extra_non_working_days"].replace(",", "\n").splitlines():
            if not line.strip():
                continue
            try:
                days.add(dt.date.fromisoformat(line.strip()))
            except ValueError:
                raise ValidationError(
                    _("%(value)s bukan tanggal (format TTTT-BB-HH)."),
                    code="invalid",
                    params={"value": line.strip()},
                ) from None
        return [d.isoformat() for d in sorted(days)]

    def to_data(self, stored: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """policy.json data: this form's keys over what the agency ``stored`` (other keys, such
        as the per-unit minimums of the unit table, ``ramadan`` or ``severity``, are kept)."""
        data = self.cleaned_data
        out = dict(stored or {})
        shares = dict(out.get("min_office_share") or {}) if isinstance(
            out.get("min_office_share"), Mapping
        ) else {}
        shares["*"] = data["min_office_share"]
        out.update(
            {
                "max_location_days_per_week": data["max_location_days_per_week"],
                "new_in_position_months": data["new_in_position_months"],
                "min_office_share": {"*": shares.pop("*"), **dict(sorted(shares.items()))},
                "national_flex_days_count_toward_cap": data["national_flex_days_count_toward_cap"],
                "extra_non_working_days": data["extra_non_working_days"],
            }
        )
        return out

    @classmethod
    def initial_from(cls, policy: Mapping[str, Any]) -> dict[str, Any]:
        shares = policy.get("min_office_share")
        default = shares.get("*", 0.0) if isinstance(shares, Mapping) else 0.0
        return {
            "max_location_days_per_week": policy.get("max_location_days_per_week", 2),
            "new_in_position_months": policy.get("new_in_position_months", 6),
            "min_office_share": str(default),
            "national_flex_days_count_toward_cap": bool(
                policy.get("national_flex_days_count_toward_cap", False)
            ),
            "extra_non_working_days": "\n".join(
                str(d) for d in policy.get("extra_non_working_days") or []
            ),
        }


HEADCOUNT_KEY = "min_office_headcount"


def headcount_supported() -> bool:
    """Whether the policy core reads ``min_office_headcount`` (FORMATS.md revision 2) yet."""
    from fleksi.policy.model import POLICY_KEYS

    return HEADCOUNT_KEY in POLICY_KEYS


@dataclass(frozen=True)
class UnitRow:
    """One row of the per-unit table: a unit of the agency's tree and what HR typed for it."""

    pk: int
    code: str
    name: str
    depth: int
    share: str  # percent as typed ("" = the agency's default)
    headcount: str  # "" = none
    share_error: str = ""
    headcount_error: str = ""


def _tree_rows(tree: list[dict[str, Any]], depth: int = 0) -> list[tuple[Any, int]]:
    out: list[tuple[Any, int]] = []
    for node in tree:
        out.append((node["unit"], depth))
        out.extend(_tree_rows(node["children"], depth + 1))
    return out


def _percent_text(share: object) -> str:
    if isinstance(share, bool) or not isinstance(share, int | float):
        return ""
    text = f"{float(share) * 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


class UnitMinimumsForm:
    """The per-unit table: for each unit of the agency's tree, the minimum office share (%) and
    the minimum head-count at the office. Posted fields are ``share:<unit code>`` and
    ``headcount:<unit code>``; a code that is not one of the agency's units is refused."""

    SHARE = "share:"
    HEADCOUNT = "headcount:"

    def __init__(
        self,
        *,
        tree: list[dict[str, Any]],
        stored: Mapping[str, Any],
        data: Mapping[str, Any] | None = None,
    ) -> None:
        self.units = _tree_rows(tree)
        self.stored = dict(stored or {})
        self.data = data
        self.headcount_enabled = headcount_supported()
        self.errors: list[str] = []
        self._row_errors: dict[tuple[str, str], str] = {}
        self.cleaned: dict[str, Any] | None = None
        known = {unit.code for unit, _depth in self.units}
        shares = self.stored.get("min_office_share")
        counts = self.stored.get(HEADCOUNT_KEY)
        self.stale_codes = sorted(
            code
            for code in [
                *(shares.keys() if isinstance(shares, Mapping) else []),
                *(counts.keys() if isinstance(counts, Mapping) else []),
            ]
            if code != "*" and code not in known
        )

    def _typed(self, prefix: str, code: str) -> str:
        if self.data is not None:
            return str(self.data.get(prefix + code, "")).strip()
        if prefix == self.SHARE:
            shares = self.stored.get("min_office_share")
            return _percent_text(shares.get(code)) if isinstance(shares, Mapping) else ""
        counts = self.stored.get(HEADCOUNT_KEY)
        value = counts.get(code) if isinstance(counts, Mapping) else None
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else ""

    def rows(self) -> list[UnitRow]:
        return [
            UnitRow(
                pk=unit.pk,
                code=unit.code,
                name=unit.name,
                depth=min(depth, 6),
                share=self._typed(self.SHARE, unit.code),
                headcount=self._typed(self.HEADCOUNT, unit.code),
                share_error=self._row_errors.get((self.SHARE, unit.code), ""),
                headcount_error=self._row_errors.get((self.HEADCOUNT, unit.code), ""),
            )
            for unit, depth in self.units
        ]

    def default_share_text(self) -> str:
        shares = self.stored.get("min_office_share")
        return _percent_text(shares.get("*", 0.0) if isinstance(shares, Mapping) else 0.0) or "0"

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        names = {unit.code: unit.name for unit, _depth in self.units}
        unknown = sorted(
            {
                key.split(":", 1)[1]
                for key in self.data
                if isinstance(key, str)
                and (key.startswith(self.SHARE) or key.startswith(self.HEADCOUNT))
                and key.split(":", 1)[1] not in names
            }
        )
        for code in unknown:
            self.errors.append(
                str(
                    _(
                        'Kode unit "%(code)s" tidak dikenal di instansi ini. Minimum hanya dapat '
                        "diatur untuk unit yang ada di tabel."
                    )
                    % {"code": code[:60]}
                )
            )
        shares: dict[str, float] = {}
        counts: dict[str, int] = {}
        for code, name in names.items():
            share_text = self._typed(self.SHARE, code)
            if share_text:
                try:
                    share = _parse_percent(share_text)
                except ValueError:
                    self._row_errors[(self.SHARE, code)] = str(
                        _("%(unit)s: minimum di kantor harus angka 0 sampai 100 (%%).")
                        % {"unit": name}
                    )
                else:
                    shares[code] = share
            count_text = self._typed(self.HEADCOUNT, code) if self.headcount_enabled else ""
            if count_text:
                if count_text.isascii() and count_text.isdigit() and int(count_text) <= 100000:
                    if int(count_text) > 0:
                        counts[code] = int(count_text)
                else:
                    self._row_errors[(self.HEADCOUNT, code)] = str(
                        _("%(unit)s: jumlah minimum di kantor harus bilangan bulat 0 atau lebih.")
                        % {"unit": name}
                    )
        if self.errors or self._row_errors:
            return False
        self.cleaned = {"min_office_share": shares, HEADCOUNT_KEY: counts}
        return True

    def to_data(self) -> dict[str, Any]:
        """policy.json data: the stored policy with this table's per-unit values (units left
        empty take the agency's default; codes no longer in the tree are dropped)."""
        assert self.cleaned is not None
        out = dict(self.stored)
        stored_shares = out.get("min_office_share")
        default = stored_shares.get("*", 0.0) if isinstance(stored_shares, Mapping) else 0.0
        if isinstance(stored_shares, int | float) and not isinstance(stored_shares, bool):
            default = float(stored_shares)
        out["min_office_share"] = {"*": default, **self.cleaned["min_office_share"]}
        if self.headcount_enabled:
            if self.cleaned[HEADCOUNT_KEY]:
                out[HEADCOUNT_KEY] = self.cleaned[HEADCOUNT_KEY]
            else:
                out.pop(HEADCOUNT_KEY, None)
        return out

    def add_problem(self, message: str) -> None:
        self.errors.append(message)


def _parse_percent(text: str) -> float:
    """ "50", "50%", "12,5" -> 0.5, 0.5, 0.125; outside 0..100 raises ValueError."""
    value = float(text.strip().rstrip("%").strip().replace(",", "."))
    if not 0 <= value <= 100 or value != value:
        raise ValueError(text)
    return round(value / 100, 4)


class FlexDayForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput())
    circular = forms.CharField(
        label=_("Dasar (surat edaran)"), max_length=200, initial="SE MenPANRB "
    )
    max_share = forms.DecimalField(
        label=_("Porsi pegawai paling banyak yang bekerja fleksibel"),
        min_value=Decimal(0),
        max_value=Decimal(1),
        max_digits=3,
        decimal_places=2,
        initial=Decimal("0.5"),
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
        help_text=_("Ditetapkan pimpinan instansi (0 sampai 1); layanan esensial tetap buka."),
    )
