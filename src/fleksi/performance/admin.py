from django.contrib import admin

from . import rollup
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

    # The admin can add and delete assessments: the rollup's rows of the touched unit-periods
    # are recomputed in the admin's transaction (docs/decisions/198).
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        rollup.refresh(obj.agency_id, rollup.assessment_keys_of([obj]))

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        keys = rollup.assessment_keys_of([obj])
        super().delete_model(request, obj)
        rollup.refresh(obj.agency_id, keys)

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        rows = list(queryset)
        super().delete_queryset(request, queryset)
        rollup.assessments_changed(rows)
