"""Forms of the organisation app."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Agency, DelegationKind

IMPORT_EXTENSIONS = (".csv", ".xlsx")


class ImportUploadForm(forms.Form):
    """Upload of ``employees.csv`` / ``.xlsx`` for a preview (a dry run)."""

    agency = forms.ModelChoiceField(
        label=_("Instansi"), queryset=Agency.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Berkas data pegawai (CSV UTF-8 atau XLSX)"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
        choices = list(agencies[:2])
        if len(choices) == 1:
            field.widget = forms.HiddenInput()
            field.initial = choices[0].pk
        self.single_agency = choices[0] if len(choices) == 1 else None

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = int(settings.FLEKSI_IMPORT_MAX_BYTES)
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s); paling besar %(limit)s."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        if not upload.size:
            raise forms.ValidationError(_("Berkas kosong."), code="empty")
        suffix = PurePath(upload.name or "").suffix.lower()
        if suffix not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(
                _("Jenis berkas tidak didukung: unggah .csv (UTF-8) atau .xlsx."),
                code="extension",
            )
        return upload


class DelegationForm(forms.Form):
    delegate_nip = forms.CharField(label=_("NIP pegawai yang ditunjuk"), max_length=18)
    kind = forms.ChoiceField(label=_("Jenis"), choices=DelegationKind.choices)
    start = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sampai"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Dasar penunjukan (mis. nomor surat)"), max_length=300, required=False)


class OfficeForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200)
    address = forms.CharField(label=_("Alamat"), max_length=500, required=False)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


PlaceForm = OfficeForm  # a permitted place has the same fields as an office
