from django.contrib import admin
from django.db import transaction

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

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        before = None
        if change:
            before = LogEntry.objects.filter(pk=obj.pk).values_list("planned_output_id", flat=True).first()
        super().save_model(request, obj, form, change)
        refresh_output_sums([before, obj.planned_output_id])

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        output_id = obj.planned_output_id
        super().delete_model(request, obj)
        refresh_output_sums([output_id])

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            output_ids = list(queryset.order_by().values_list("planned_output_id", flat=True))
            super().delete_queryset(request, queryset)
            refresh_output_sums(output_ids)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("employee", "period", "cadence", "version", "state", "predikat")
    list_select_related = ("employee",)
    raw_id_fields = ("employee", "agency")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a finalised assessment is immutable; drafts change through the service
