"""Forms of the monitoring pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReadinessScore, ReportFormat


class ReportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)
    conclusions = forms.CharField(label=_("Kesimpulan evaluator"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.CharField(label=_("Rekomendasi"), required=False, max_length=10000,
                                      widget=forms.Textarea(attrs={"rows": 4}))


class ReadinessForm(forms.Form):
    equipment = forms.TypedChoiceField(label=_("Peralatan kerja"), choices=ReadinessScore.choices, coerce=int,
                                       widget=forms.RadioSelect)
    connection = forms.TypedChoiceField(label=_("Kualitas koneksi"), choices=ReadinessScore.choices, coerce=int,
                                        widget=forms.RadioSelect)
    workspace = forms.TypedChoiceField(label=_("Ruang kerja"), choices=ReadinessScore.choices, coerce=int,
                                       widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ServiceImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV (unit_kode,periode,ikm,pengaduan)"))
