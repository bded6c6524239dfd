from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse

from fleksi.audit.services import audit_record

from . import sessions
from .adminreauth import ALL, ReauthAdminMixin
from .models import ApiToken, User


@admin.register(User)
class UserAdmin(ReauthAdminMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Fleksi", {"fields": ("language", "is_national_monitor")}))  # type: ignore[misc]
    list_display = ["username", "email", "first_name", "is_staff", "is_superuser", "is_national_monitor"]
    # Roles held on the account itself (docs/decisions/211).
    reauth_fields = ("is_staff", "is_superuser", "is_national_monitor", "groups", "user_permissions")
    reauth_on_delete = True

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Setting another person's password here is as sensitive as a role change."""
        if request.method == "POST" and not sessions.reauth_fresh(request):
            return self._reauth_redirect(request)
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit_record(actor=request.user, action="user.set_password", object_type="user", object_id=id,
                         data={"via": "admin"})
        return response


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReauthAdminMixin, BaseGroupAdmin):
    """A group's permissions are a role for everyone in it."""

    reauth_fields = ALL
    reauth_on_open = True
    reauth_on_delete = True


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "secret_hash", "created_at", "last_used_at"]
    raw_id_fields = ["user"]

