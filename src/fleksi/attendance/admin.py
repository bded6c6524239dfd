from typing import Any

from django.contrib import admin

from . import rollup
from .models import AttendanceSettings, CheckIn, DailyRecord, LeaveDay


def _key(record: DailyRecord) -> tuple[int, int, int, Any]:
    return (record.agency_id, record.unit_id, record.employee_id, record.work_date)


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("employee", "kind", "location", "client_time", "server_time", "work_date")
    list_filter = ("kind", "location")
    raw_id_fields = ("employee", "agency")
    # A check-in is never edited in place: a correction is its own document.
    readonly_fields = [f.name for f in CheckIn._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(DailyRecord)
class DailyRecordAdmin(admin.ModelAdmin):
    list_display = ("employee", "work_date", "status", "worked_minutes")
    list_filter = ("status",)
    raw_id_fields = ("employee", "agency", "unit")

    # The dashboards' rollups follow an edit here too (docs/decisions/196).
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        before = DailyRecord.objects.filter(pk=obj.pk).first() if obj.pk else None
        super().save_model(request, obj, form, change)
        rollup.records_changed([_key(obj), *([_key(before)] if before else [])])

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        key = _key(obj)
        super().delete_model(request, obj)
        rollup.records_changed([key])

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        keys = [_key(r) for r in queryset]
        super().delete_queryset(request, queryset)
        rollup.records_changed(keys)


@admin.register(LeaveDay)
class LeaveDayAdmin(admin.ModelAdmin):
    list_display = ("employee", "start", "end", "kind")
    raw_id_fields = ("employee", "agency")


admin.site.register(AttendanceSettings)
