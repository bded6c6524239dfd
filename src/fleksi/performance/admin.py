from django.contrib import admin

from .models import Assessment, LogEntry, PerformanceSettings, PlannedOutput


@admin.register(PerformanceSettings)
class PerformanceSettingsAdmin(admin.ModelAdmin):
    list_display = ("agency", "log_required_before_check_out")
    # The cadence changes on /kinerja/sdm/ only, where its rule holds (docs/decisions/190).
    readonly_fields = ("cadence_history",)


@admin.register(PlannedOutput)
class PlannedOutputAdmin(admin.ModelAdmin):
    list_display = ("description", "employee", "source", "state", "due_date")
    list_select_related = ("employee",)
    raw_id_fields = ("employee", "agency")


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ("employee", "date", "quantity", "minutes")
    list_select_related = ("employee",)
    raw_id_fields = ("employee", "agency", "planned_output")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("employee", "period", "cadence", "version", "state", "predikat")
    list_select_related = ("employee",)
    raw_id_fields = ("employee", "agency")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a finalised assessment is immutable; drafts change through the service
