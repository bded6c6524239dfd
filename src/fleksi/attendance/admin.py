from django.contrib import admin

from .models import AttendanceSettings, CheckIn, DailyRecord, LeaveDay


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


@admin.register(LeaveDay)
class LeaveDayAdmin(admin.ModelAdmin):
    list_display = ("employee", "start", "end", "kind")
    raw_id_fields = ("employee", "agency")


admin.site.register(AttendanceSettings)
