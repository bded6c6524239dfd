"""Forms of the performance pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fleksi.policy import rating

RATING_CHOICES = [("", "—")] + [(e.value, _(e.label_id)) for e in rating.Expectation]


class LogForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    planned_output_id = forms.TypedChoiceField(
        label=_("Keluaran rencana"), required=False, coerce=int, empty_value=None
    )
    description = forms.CharField(label=_("Apa yang dikerjakan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    quantity = forms.DecimalField(label=_("Realisasi (jumlah)"), max_digits=10, decimal_places=2, initial=1)
    minutes = forms.IntegerField(label=_("Waktu (menit)"), initial=60)
    evidence_url = forms.URLField(label=_("Tautan bukti dukung"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label=_("Berkas bukti dukung (PDF, gambar, dokumen perkantoran)"), required=False)

    def __init__(self, *args: Any, outputs: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["planned_output_id"].choices = [("", _("— tanpa keluaran rencana —"))] + [  # type: ignore[attr-defined]
            (o.pk, f"{o.description} ({o.target_quantity.normalize()} {o.unit})") for o in outputs
        ]


class OutputForm(forms.Form):
    prefix = "keluaran"  # on the same page as the log form (ids must not collide)

    description = forms.CharField(label=_("Uraian keluaran"), max_length=500)
    target_quantity = forms.DecimalField(label=_("Target"), max_digits=10, decimal_places=2, initial=1)
    unit = forms.CharField(label=_("Satuan"), max_length=50, initial="dokumen")
    due_date = forms.DateField(label=_("Tenggat"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    skp_text = forms.CharField(label=_("Rencana hasil kerja SKP (opsional)"), max_length=500, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Umpan balik"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ResponseForm(forms.Form):
    response = forms.CharField(label=_("Tanggapan Anda"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class AssessmentForm(forms.Form):
    feedback = forms.CharField(label=_("Umpan balik"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, outputs: list[Any] = (), initial_ratings: dict[str, dict[str, str]] | None = None, **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        ratings = initial_ratings or {"outputs": {}, "behaviours": {}}
        for p in outputs:
            name = f"output_{p.output.pk}"
            self.fields[name] = forms.ChoiceField(label=p.output.description, choices=RATING_CHOICES, required=False,
                                                  initial=ratings["outputs"].get(str(p.output.pk), ""))
        for value in rating.BehaviourValue:
            self.fields[f"behaviour_{value.value}"] = forms.ChoiceField(
                label=_(value.label_id), choices=RATING_CHOICES, required=False,
                initial=ratings["behaviours"].get(value.value, ""),
            )

    def ratings(self) -> tuple[dict[str, str], dict[str, str]]:
        outputs = {k.removeprefix("output_"): v for k, v in self.cleaned_data.items() if k.startswith("output_") and v}
        behaviours = {k.removeprefix("behaviour_"): v for k, v in self.cleaned_data.items() if k.startswith("behaviour_") and v}
        return outputs, behaviours

    def output_fields(self) -> list[Any]:
        return [self[n] for n in self.fields if n.startswith("output_")]

    def behaviour_fields(self) -> list[Any]:
        return [self[n] for n in self.fields if n.startswith("behaviour_")]


class SettingsForm(forms.Form):
    """The agency's performance settings (HR, /kinerja/sdm/)."""

    log_required_before_check_out = forms.BooleanField(
        label=_("Laporan harian wajib sebelum presensi pulang pada hari kerja fleksibel"), required=False,
        help_text=_("Bila aktif, presensi pulang pada hari kerja fleksibel ditolak sampai pegawai mengisi laporan harian hari itu."),
    )
    cadence = forms.ChoiceField(
        label=_("Periode penilaian kinerja"), widget=forms.RadioSelect,
        choices=[("monthly", _("Bulanan (TTTT-BB)")), ("quarterly", _("Triwulanan (TTTT-TWn)"))],
        help_text=_("Perubahan berlaku mulai awal triwulan ini bila triwulan ini belum ada penilaian, "
                    "selain itu mulai awal triwulan berikutnya. Periode yang sudah dinilai tetap seperti semula."),
    )
