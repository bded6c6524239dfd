"""The request form, its output rows, and the decision and inbox forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from fleksi.core.widgets import DateInput, TimeInput
from fleksi.schedules.models import LocationKind, TimeKind

from .inputs import OutputInput, RequestInput
from .models import RequestState, ScheduleMode

WEEKDAYS: tuple[tuple[int, Any], ...] = (
    (0, _("Senin")),
    (1, _("Selasa")),
    (2, _("Rabu")),
    (3, _("Kamis")),
    (4, _("Jumat")),
)


EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


MAX_DATES = 31


DATE_ROWS = 3  # empty date inputs offered without JavaScript


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Zero or more supporting files: PDF, JPEG or PNG, at most 5 MB each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            suffix = PurePath(upload.name or "").suffix.lower()
            if suffix not in EVIDENCE_TYPES:
                raise ValidationError(
                    _("Berkas %(name)s bukan PDF, JPEG atau PNG."),
                    code="type",
                    params={"name": upload.name},
                )
            if upload.size > EVIDENCE_MAX_BYTES:
                raise ValidationError(
                    _("Berkas %(name)s lebih dari 5 MB."), code="size", params={"name": upload.name}
                )
            cleaned.append(upload)
        return cleaned


class DateListWidget(forms.Widget):
    """Several ``<input type=date>`` with one name; a few empty ones for adding without JS."""

    template_name = "requests/widgets/date_list.html"

    def __init__(self, attrs: dict[str, Any] | None = None, empty_rows: int = DATE_ROWS) -> None:
        super().__init__(attrs)
        self.empty_rows = empty_rows

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        if hasattr(data, "getlist"):
            return [v for v in data.getlist(name) if v.strip()]
        value = data.get(name)
        if isinstance(value, list | tuple):
            return list(value)
        return [value] if value else []

    def format_value(self, value: Any) -> Any:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [v.isoformat() if isinstance(v, dt.date) else str(v) for v in values]

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> Any:
        # The project's template engine (the form renderer only sees Django's own widgets).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = context["widget"]["value"] or []
        context["widget"]["rows"] = [
            *values,
            *([""] * max(self.empty_rows, 1 if not values else 0)),
        ]
        return context


class DateListField(forms.Field):
    widget = DateListWidget
    default_error_messages = {
        "invalid": _("%(value)s bukan tanggal (format TTTT-BB-HH)."),
        "too_many": _("Paling banyak %(max)s tanggal dalam satu pengajuan."),
    }

    def to_python(self, value: Any) -> list[dt.date]:
        days: set[dt.date] = set()
        for raw in value or []:
            if isinstance(raw, dt.date):
                days.add(raw)
                continue
            try:
                days.add(dt.date.fromisoformat(str(raw).strip()))
            except ValueError:
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": raw}
                ) from None
        if len(days) > MAX_DATES:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": MAX_DATES}
            )
        return sorted(days)


class IdListField(forms.Field):
    """The ticked ids of a list (``name=1&name=5``); anything that is not a number is refused."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        ids: list[int] = []
        for raw in value or []:
            text = str(raw).strip()
            if not (text.isascii() and text.isdigit()):
                raise ValidationError(_("Pilihan tidak sah."), code="invalid")
            if int(text) not in ids:
                ids.append(int(text))
        return ids


def _choices(objects: Iterable[Any]) -> list[tuple[str, str]]:
    return [(str(o.pk), str(o)) for o in objects]


class RequestForm(forms.Form):
    """Ajukan kerja fleksibel: where, when, at what hours, why, and with which outputs.

    The choice lists (offices, permitted places, the time flexibility of the position) come
    from the selectors, so a tampered id outside the actor's scope is refused here and again
    in the service. ``employee`` (filing for someone else) is resolved by the view through the
    scoped organisation selector.
    """

    employee = forms.IntegerField(
        label=_("Pegawai"), required=False, min_value=1, widget=forms.HiddenInput
    )
    location_kind = forms.ChoiceField(
        label=_("Lokasi kerja"),
        choices=LocationKind.choices,
        widget=forms.RadioSelect,
        initial=LocationKind.HOME,
    )
    office = forms.TypedChoiceField(
        label=_("Kantor lain"), coerce=int, required=False, empty_value=None
    )
    place = forms.TypedChoiceField(
        label=_("Lokasi lain yang diizinkan"), coerce=int, required=False, empty_value=None
    )
    place_description = forms.CharField(
        label=_("Uraian lokasi"),
        max_length=500,
        required=False,
        help_text=_(
            "Untuk lokasi dari daftar: keterangan tambahan (tidak wajib). Untuk lokasi di luar daftar: uraikan tempat dan alamatnya; atasan menilai dan menerimanya saat menyetujui (PermenPANRB 4/2025 Pasal 12 ayat (1) huruf c)."
        ),
    )
    schedule_mode = forms.ChoiceField(
        label=_("Jadwal"),
        choices=ScheduleMode.choices,
        widget=forms.RadioSelect,
        initial=ScheduleMode.PATTERN,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Hari dalam seminggu"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("Mulai"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("Sampai"), required=False, widget=DateInput())
    dates = DateListField(label=_("Tanggal"), required=False)
    time_kind = forms.ChoiceField(
        label=_("Waktu kerja"),
        choices=TimeKind.choices,
        widget=forms.RadioSelect,
        initial=TimeKind.REGULAR,
    )
    shift_start = forms.TimeField(label=_("Sif mulai"), required=False, widget=TimeInput())
    shift_end = forms.TimeField(
        label=_("Sif selesai"),
        required=False,
        widget=TimeInput(),
        help_text=_("Jam selesai sebelum jam mulai berarti sif berakhir keesokan harinya."),
    )
    is_special = forms.BooleanField(
        label=_("Saya dalam keadaan khusus"),
        required=False,
        help_text=_(
            "Keadaan khusus yang disetujui membebaskan batas hari per minggu selama periode itu; wajib disertai bukti."
        ),
    )
    special_description = forms.CharField(
        label=_("Uraian keadaan khusus"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = EvidenceField(
        label=_("Bukti keadaan khusus"),
        required=False,
        help_text=_("PDF, JPEG atau PNG; paling besar 5 MB per berkas."),
    )
    reason = forms.CharField(
        label=_("Alasan pengajuan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    work_plan = forms.CharField(
        label=_("Rencana kerja"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    # service field names -> form field names (for VALIDATION details)
    FIELD_ALIASES: Mapping[str, str] = {
        "office_id": "office",
        "place_id": "place",
        "employee_id": "employee",
        "hours": "time_kind",
    }

    def __init__(
        self,
        *args: Any,
        offices: Iterable[Any] = (),
        places: Iterable[Any] = (),
        time_flexibility: str = "tidak",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["office"]).choices = [
            ("", _("— pilih kantor —")),
            *_choices(offices),
        ]
        cast(forms.ChoiceField, self.fields["place"]).choices = [
            ("", _("— pilih dari daftar —")),
            *_choices(places),
        ]
        allowed = [TimeKind.REGULAR]
        if time_flexibility == TimeKind.DYNAMIC:
            allowed.append(TimeKind.DYNAMIC)
        elif time_flexibility == TimeKind.SHIFT:
            allowed.append(TimeKind.SHIFT)
        self.time_choices_allowed = len(allowed) > 1
        cast(forms.ChoiceField, self.fields["time_kind"]).choices = [
            (k.value, k.label) for k in allowed
        ]
        for day, label in WEEKDAYS:
            self.fields[f"hours_{day}_start"] = forms.TimeField(
                label=label, required=False, widget=TimeInput()
            )
            self.fields[f"hours_{day}_end"] = forms.TimeField(
                label=label, required=False, widget=TimeInput()
            )

    # -- layout helpers for the template --
    def hour_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [
            (label, self[f"hours_{day}_start"], self[f"hours_{day}_end"]) for day, label in WEEKDAYS
        ]

    # -- validation: completeness of the input only; the law is checked by the services --
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        mode = data.get("schedule_mode")
        if mode == ScheduleMode.PATTERN:
            if not data.get("weekdays"):
                self.add_error("weekdays", _("Pilih paling sedikit satu hari."))
            start, end = data.get("start_date"), data.get("end_date")
            if not start:
                self.add_error("start_date", _("Isi tanggal mulai."))
            if not end:
                self.add_error("end_date", _("Isi tanggal selesai."))
            if start and end and end < start:
                self.add_error("end_date", _("Tanggal selesai sebelum tanggal mulai."))
        elif mode == ScheduleMode.DATES and "dates" not in self.errors and not data.get("dates"):
            self.add_error("dates", _("Isi paling sedikit satu tanggal."))

        location = data.get("location_kind")
        if (
            location == LocationKind.OTHER_OFFICE
            and not data.get("office")
            and "office" not in self.errors
        ):
            self.add_error("office", _("Pilih kantor tempat bekerja."))
        if (
            location == LocationKind.OTHER_LOCATION
            and not data.get("place")
            and not (data.get("place_description") or "").strip()
            and "place" not in self.errors
        ):
            self.add_error(
                "place",
                _(
                    "Pilih lokasi dari daftar yang ditetapkan instansi, atau uraikan lokasi lain yang harus diterima atasan."
                ),
            )

        time_kind = data.get("time_kind")
        if location == LocationKind.OFFICE and time_kind == TimeKind.REGULAR:
            self.add_error(
                "location_kind",
                _(
                    "Pilih lokasi di luar kantor penempatan atau waktu kerja fleksibel: pengajuan tanpa keduanya tidak diperlukan."
                ),
            )
        if time_kind == TimeKind.DYNAMIC:
            for day in self._used_weekdays(data):
                if day > 4:
                    continue
                start, end = data.get(f"hours_{day}_start"), data.get(f"hours_{day}_end")
                if not start or not end:
                    self.add_error(
                        f"hours_{day}_start", _("Isi jam mulai dan selesai untuk hari ini.")
                    )
                elif end <= start:
                    self.add_error(f"hours_{day}_end", _("Jam selesai harus setelah jam mulai."))
        elif time_kind == TimeKind.SHIFT:
            if not data.get("shift_start"):
                self.add_error("shift_start", _("Isi jam mulai sif."))
            if not data.get("shift_end"):
                self.add_error("shift_end", _("Isi jam selesai sif."))
        if data.get("is_special") and not data.get("special_description", "").strip():
            self.add_error("special_description", _("Uraikan keadaan khusus Anda."))
        return data

    @staticmethod
    def _used_weekdays(data: Mapping[str, Any]) -> list[int]:
        if data.get("schedule_mode") == ScheduleMode.DATES:
            return sorted({d.weekday() for d in data.get("dates") or []})
        return sorted(set(data.get("weekdays") or []))

    def to_input(self, outputs: Iterable[OutputInput] = ()) -> RequestInput:
        data = self.cleaned_data
        mode = data["schedule_mode"]
        dates: tuple[dt.date, ...] = ()
        if mode == ScheduleMode.DATES:
            dates = tuple(data["dates"])
            start, end = dates[0], dates[-1]
            weekdays: tuple[int, ...] = ()
        else:
            start, end = data["start_date"], data["end_date"]
            weekdays = tuple(sorted(set(data["weekdays"])))
        hours: dict[str, tuple[str, str]] = {}
        time_kind = data["time_kind"]
        if time_kind == TimeKind.DYNAMIC:
            for day in self._used_weekdays(data):
                if day <= 4:
                    hours[str(day)] = (
                        f"{data[f'hours_{day}_start']:%H:%M}",
                        f"{data[f'hours_{day}_end']:%H:%M}",
                    )
        elif time_kind == TimeKind.SHIFT:
            for day in self._used_weekdays(data):
                hours[str(day)] = (f"{data['shift_start']:%H:%M}", f"{data['shift_end']:%H:%M}")
        location = data["location_kind"]
        return RequestInput(
            start_date=start,
            end_date=end,
            location_kind=location,
            office_id=data.get("office") if location == LocationKind.OTHER_OFFICE else None,
            place_id=data.get("place") if location == LocationKind.OTHER_LOCATION else None,
            place_description=data.get("place_description", "").strip()
            if location == LocationKind.OTHER_LOCATION
            else "",
            schedule_mode=mode,
            weekdays=weekdays,
            dates=dates,
            time_kind=time_kind,
            hours=hours,
            is_special=bool(data.get("is_special")),
            special_description=data.get("special_description", "").strip()
            if data.get("is_special")
            else "",
            reason=data.get("reason", "").strip(),
            work_plan=data.get("work_plan", "").strip(),
            outputs=tuple(outputs),
        )

    def add_service_errors(self, fields: Mapping[str, Any]) -> None:
        """Show a service's VALIDATION details (``{"fields": {name: message}}``) on the fields."""
        for name, messages in fields.items():
            target = self.FIELD_ALIASES.get(name, name)
            if isinstance(messages, str):
                messages = [messages]
            for message in messages:
                self.add_error(target if target in self.fields else None, str(message))

    @classmethod
    def initial_from(cls, request: Any) -> dict[str, Any]:
        """The form's initial data from a stored FlexRequest (editing a draft or returned one)."""
        initial: dict[str, Any] = {
            "employee": request.employee_id,
            "location_kind": request.location_kind,
            "office": request.office_id,
            "place": request.place_id,
            "place_description": request.place_description,
            "schedule_mode": request.schedule_mode,
            "weekdays": list(request.weekdays or []),
            "start_date": request.start_date,
            "end_date": request.end_date,
            "dates": [dt.date.fromisoformat(str(d)) for d in request.dates or []],
            "time_kind": request.time_kind,
            "is_special": request.is_special,
            "special_description": request.special_description,
            "reason": request.reason,
            "work_plan": request.work_plan,
        }
        hours = request.hours or {}
        if request.time_kind == TimeKind.SHIFT and hours:
            first = next(iter(hours.values()))
            initial["shift_start"], initial["shift_end"] = first[0], first[1]
        elif request.time_kind == TimeKind.DYNAMIC:
            for day, pair in hours.items():
                initial[f"hours_{day}_start"], initial[f"hours_{day}_end"] = pair[0], pair[1]
        return initial


class OutputForm(forms.Form):
    description = forms.CharField(label=_("Uraian keluaran"), max_length=500)
    target_quantity = forms.DecimalField(
        label=_("Target"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=1,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    unit = forms.CharField(label=_("Satuan"), max_length=50, initial=_("dokumen"))
    due_date = forms.DateField(label=_("Tenggat"), required=False, widget=DateInput())

    def to_input(self) -> OutputInput:
        data = self.cleaned_data
        return OutputInput(
            description=data["description"].strip(),
            target_quantity=data["target_quantity"],
            unit=data["unit"].strip() or "dokumen",
            due_date=data.get("due_date"),
        )


class BaseOutputFormSet(forms.BaseFormSet):
    def outputs(self) -> list[OutputInput]:
        return [
            f.to_input()
            for f in self.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


OUTPUT_PREFIX = "keluaran"


def output_formset(
    data: Any = None, *, initial: list[dict[str, Any]] | None = None, extra_rows: int = 0
) -> Any:
    """The planned-outputs rows; ``extra_rows`` adds empty rows (the no-JS "Tambah baris")."""
    formset_class = formset_factory(
        OutputForm,
        formset=BaseOutputFormSet,
        extra=1 + extra_rows,
        can_delete=True,
        max_num=30,
        validate_max=True,
    )
    return formset_class(data, initial=initial, prefix=OUTPUT_PREFIX)


class ReasonForm(forms.Form):
    """Reject, return or revoke: the reason is required (PermenPANRB 4/2025 Pasal 30)."""

    reason = forms.CharField(
        label=_("Alasan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Alasan wajib diisi.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Alasan wajib diisi."), code="required")
        return reason


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan (tidak wajib)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan (tidak wajib)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulkApproveForm(forms.Form):
    pilih = IdListField(
        label=_("Pengajuan terpilih"),
        error_messages={"required": _("Centang paling sedikit satu pengajuan.")},
    )

    def clean_pilih(self) -> list[int]:
        ids = self.cleaned_data["pilih"]
        if not ids:
            raise ValidationError(_("Centang paling sedikit satu pengajuan."), code="required")
        if len(ids) > 200:
            raise ValidationError(_("Paling banyak 200 pengajuan sekaligus."), code="too_many")
        return ids


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(
        label=_("Cari nama atau NIP"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args: Any, units: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("Menunggu keputusan Anda")),
            *[
                (value, label)
                for value, label in RequestState.choices
                if value not in (RequestState.DRAFT, RequestState.SUBMITTED)
            ],
        ]
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            ("", _("Semua unit")),
            *[(str(u.pk), u.name) for u in units],
        ]
