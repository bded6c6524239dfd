from django.contrib import admin
from django.db import transaction

from . import log_rollup, rollup
from .models import Assessment, LogEntry, PerformanceSettings, PlannedOutput
from .output_sums import refresh_output_sums


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
    readonly_fields = ("logged_quantity", "logged_by_due")

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        refresh_output_sums([obj.pk])  # the due date may have moved (docs/decisions/199)


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Every change refreshes the outputs' logged sums (docs/decisions/199), the output
    before the change as well as after it."""

    list_display = ("employee", "date", "quantity", "minutes")
    list_select_related = ("employee",)
    raw_id_fields = ("employee", "agency", "planned_output")

    # Edits here bypass the services: the rollup of logged days (docs/decisions/201) and the
    # outputs' logged sums (docs/decisions/199) follow, for before and after the change.
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            before = (
                LogEntry.objects.filter(pk=obj.pk).values_list("employee_id", "date", "planned_output_id").first()
                if change else None
            )
            super().save_model(request, obj, form, change)
            if before is not None:
                log_rollup.log_changed(employee_id=before[0], dates=[before[1]])
            log_rollup.log_changed(employee_id=obj.employee_id, dates=[obj.date])
            refresh_output_sums([before[2] if before else None, obj.planned_output_id])

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            output_id = obj.planned_output_id
            super().delete_model(request, obj)
            log_rollup.log_changed(employee_id=obj.employee_id, dates=[obj.date])
            refresh_output_sums([output_id])

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            rows = list(queryset.order_by().values_list("employee_id", "date", "planned_output_id"))
            super().delete_queryset(request, queryset)
            for employee_id, day in sorted({(e, d) for e, d, _o in rows}):
                log_rollup.log_changed(employee_id=employee_id, dates=[day])
            refresh_output_sums([o for _e, _d, o in rows])


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
