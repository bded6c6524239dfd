from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext as _

from fleksi.accounts.adminreauth import ALL, ReauthAdminMixin
from fleksi.policy.model import Policy, PolicyError

from .models import Agency, AgencyRole, Delegation, Employee, OrgUnit, Position
from .signals import delete_employees, employees_moved


class AgencyAdminForm(forms.ModelForm):
    """The agency's policy JSON is validated here as on the settings page: a policy looser
    than the regulation, or malformed, is refused with every problem."""

    class Meta:
        model = Agency
        fields = ["code", "name", "time_zone", "flexible_work_enabled", "policy", "approval_supervisor_first", "reminder_after_days"]

    def clean_policy(self) -> Any:
        data = self.cleaned_data.get("policy") or {}
        if not isinstance(data, dict):
            raise forms.ValidationError(_("Kebijakan harus berupa objek JSON."))
        try:
            Policy.from_dict(data)
        except PolicyError as error:
            raise forms.ValidationError([p.message("id") for p in error.problems]) from None
        return data


@admin.register(Agency)
class AgencyAdmin(ReauthAdminMixin, admin.ModelAdmin):
    form = AgencyAdminForm
    # The policy, as on the settings page (docs/decisions/152, 211).
    reauth_fields = ("policy", "flexible_work_enabled", "approval_supervisor_first")
    reauth_audit_action = "admin.policy_change"
    list_display = ["code", "name", "time_zone", "flexible_work_enabled"]
    search_fields = ["code", "name"]

    def save_model(self, request: Any, obj: Agency, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The cached Policy and calendar of the agency are keyed on this version.
        Agency.objects.filter(pk=obj.pk).update(scheme_version=F("scheme_version") + 1)


@admin.register(OrgUnit)
class OrgUnitAdmin(ReauthAdminMixin, admin.ModelAdmin):
    reauth_fields = ("head",)  # the unit head approves its people's requests
    list_display = ["code", "name", "agency", "parent", "head", "time_zone"]
    list_filter = ["agency", "time_zone"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "head"]
    readonly_fields = ["path", "depth"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "field_work", "time_flexibility"]
    list_filter = ["agency", "time_flexibility"]
    search_fields = ["title"]


@admin.register(Employee)
class EmployeeAdmin(ReauthAdminMixin, admin.ModelAdmin):
    # The account that holds the employee's roles (a head's rights go with it); the supervisor approves.
    reauth_fields = ("user", "supervisor")
    list_display = ["nip", "name", "kind", "agency", "unit", "position", "is_active"]
    list_filter = ["agency", "kind", "excluded", "disciplinary", "is_active"]
    search_fields = ["nip", "name", "email"]
    raw_id_fields = ["user", "unit", "position", "supervisor"]
    list_select_related = ["agency", "unit", "position"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        before = Employee.objects.filter(pk=obj.pk).values_list("unit_id", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if change and before != obj.unit_id:  # the apps above regroup by unit (docs/decisions/198)
            employees_moved.send(sender=Employee, agency_id=obj.agency_id, moves=[(obj.pk, before, obj.unit_id)])

    # The dashboards' rollups drop a deleted employee's days with them (docs/decisions/203).
    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        delete_employees([obj.pk], lambda: super(EmployeeAdmin, self).delete_model(request, obj))

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        ids = list(queryset.values_list("pk", flat=True))
        delete_employees(ids, lambda: super(EmployeeAdmin, self).delete_queryset(request, queryset))


@admin.register(AgencyRole)
class AgencyRoleAdmin(ReauthAdminMixin, admin.ModelAdmin):
    reauth_fields = ALL
    reauth_on_open = True
    reauth_on_delete = True
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency"]
    raw_id_fields = ["user"]


@admin.register(Delegation)
class DelegationAdmin(ReauthAdminMixin, admin.ModelAdmin):
    reauth_fields = ALL  # a Plt/Plh holds the head's rights
    reauth_on_open = True
    reauth_on_delete = True
    list_display = ["unit", "delegate", "kind", "start", "end", "revoked_at"]
    raw_id_fields = ["unit", "delegate", "created_by"]
