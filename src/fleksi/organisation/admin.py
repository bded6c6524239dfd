from django.contrib import admin

from .models import Agency, AgencyRole, Delegation, Employee, OrgUnit, Position


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_zone", "flexible_work_enabled"]
    search_fields = ["code", "name"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
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
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["nip", "name", "kind", "agency", "unit", "position", "is_active"]
    list_filter = ["agency", "kind", "excluded", "disciplinary", "is_active"]
    search_fields = ["nip", "name", "email"]
    raw_id_fields = ["user", "unit", "position", "supervisor"]
    list_select_related = ["agency", "unit", "position"]


@admin.register(AgencyRole)
class AgencyRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency"]
    raw_id_fields = ["user"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["unit", "delegate", "kind", "start", "end", "revoked_at"]
    raw_id_fields = ["unit", "delegate", "created_by"]
