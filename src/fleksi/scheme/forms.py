"""TODO docstring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
    reminder_after_days = forms.IntegerField(
        label=_("Kirim pengingat bila pengajuan belum diputus setelah (hari)"),
        min_value=1,
        max_value=60,
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
    min_office_share_units = forms.CharField(
        label=_("Porsi minimum khusus per unit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Satu baris per unit: KODE_UNIT=0,5. Kosongkan bila semua unit memakai porsi di atas."
        ),
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

    def clean_min_office_share_units(self) -> dict[str, float]:
        shares: dict[str, float] = {}
        for number, line in enumerate(
            self.cleaned_data["min_office_share_units"].splitlines(), start=1
        ):
            if not line.strip():
                continue
            code, sep, value = line.partition("=")
            try:
                if not sep or not code.strip():
                    raise ValueError
                shares[code.strip()] = _parse_share(value)
            except ValueError:
                raise ValidationError(
                    _("Baris %(n)s: tulis KODE_UNIT=0,5."), code="invalid", params={"n": number}
                ) from None
        return shares

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

    def to_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "max_location_days_per_week": data["max_location_days_per_week"],
            "new_in_position_months": data["new_in_position_months"],
            "min_office_share": {"*": data["min_office_share"], **data["min_office_share_units"]},
            "national_flex_days_count_toward_cap": data["national_flex_days_count_toward_cap"],
            "extra_non_working_days": data["extra_non_working_days"],
        }

    @classmethod
    def initial_from(cls, policy: Mapping[str, Any]) -> dict[str, Any]:
        shares = dict(policy.get("min_office_share") or {"*": 0.0})
        default = shares.pop("*", 0.0)
        return {
            "max_location_days_per_week": policy.get("max_location_days_per_week", 2),
            "new_in_position_months": policy.get("new_in_position_months", 6),
            "min_office_share": str(default),
            "min_office_share_units": "\n".join(
                f"{code}={share}" for code, share in sorted(shares.items())
            ),
            "national_flex_days_count_toward_cap": bool(
                policy.get("national_flex_days_count_toward_cap", False)
            ),
            "extra_non_working_days": "\n".join(
                str(d) for d in policy.get("extra_non_working_days") or []
            ),
        }


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
