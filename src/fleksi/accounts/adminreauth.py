"""Re-authentication before role changes in the Django admin (docs/decisions/211).

The app's own pages ask for the password again before sensitive actions
(:func:`fleksi.accounts.sessions.reauth_required`, docs/decisions/152). The admin edits the
same things directly: users' staff/superuser/monitor flags, groups and permissions, agency
roles, Plt/Plh delegations, unit heads, an employee's account and supervisor, an agency's
policy. :class:`ReauthAdminMixin` gives those ModelAdmins the same rule, window and page:

- a save that changes one of ``reauth_fields`` (``ALL``: any field, the object is a role)
  with a stale re-authentication writes nothing (the transaction is rolled back) and goes to
  the re-authentication page, which brings the person back to the form;
- with ``reauth_on_open``, opening the add or change form asks first, so the form is not
  filled in for nothing;
- with ``reauth_on_delete``, deleting (the delete page and the changelist's bulk action)
  asks too;
- every such change is appended to the audit trail (``reauth_audit_action``: before and
  after of the gated fields, ids rather than names).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record

from . import sessions

ALL = ("__all__",)


class ReauthNeeded(Exception):
    """Raised inside the admin's transaction: nothing of the save stays."""


def _plain(value: Any) -> Any:
    """A form value as the audit keeps it: ids for objects, sorted ids for sets."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted((_plain(v) for v in value), key=str)
    if value is None or isinstance(value, bool | int | float | str | dict):  # dict: a policy
        return value
    return str(value)


def _agency_of(obj: Any) -> int | None:
    for path in ("agency_id", "unit.agency_id"):
        target = obj
        for part in path.split("."):
            target = getattr(target, part, None)
        if isinstance(target, int):
            return target
    return None


class ReauthAdminMixin:
    reauth_fields: tuple[str, ...] = ()
    reauth_on_open = False
    reauth_on_delete = False
    reauth_audit_action = "admin.role_change"

    # ---- the gate -----------------------------------------------------------------------

    def _reauth_redirect(self, request: HttpRequest, *, opening: bool = False) -> HttpResponse:
        if opening:
            messages.info(request, _("Demi keamanan, konfirmasi kata sandi Anda sebelum mengubah peran."))
        else:
            messages.info(request, _("Demi keamanan, konfirmasi kata sandi Anda lalu kirim ulang formulirnya."))
        return HttpResponseRedirect(f"{reverse('accounts:reauth')}?{urlencode({'next': request.get_full_path()})}")

    def _gated_changes(self, form: Any, change: bool) -> list[str]:
        names = list(form.fields) if self.reauth_fields == ALL else [f for f in self.reauth_fields if f in form.fields]
        if self.reauth_fields == ALL and not change:
            return names  # a new role: every field of it
        return [f for f in names if f in form.changed_data]

    def changeform_view(self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if self.reauth_on_open and request.method in ("GET", "HEAD") and not sessions.reauth_fresh(request):
            return self._reauth_redirect(request, opening=True)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except ReauthNeeded:
            return self._reauth_redirect(request)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]
        except ReauthNeeded:
            return self._reauth_redirect(request)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        try:
            return super().changelist_view(request, extra_context)  # type: ignore[misc]
        except ReauthNeeded:
            return self._reauth_redirect(request)

    # ---- the writes ---------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if self._gated_changes(form, change) and not sessions.reauth_fresh(request):
            raise ReauthNeeded
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        fields = self._gated_changes(form, change)
        if fields:  # after the many-to-many fields are saved: the audit row near the commit
            obj = form.instance
            audit_record(
                actor=request.user, action=self.reauth_audit_action, object_type=obj._meta.model_name,
                object_id=obj.pk, agency_id=_agency_of(obj),
                data={"change": "change" if change else "add", "fields": sorted(fields),
                      "before": {f: _plain(form.initial.get(f)) for f in fields} if change else {},
                      "after": {f: _plain(form.cleaned_data.get(f)) for f in fields}},
            )

    def _deleted(self, obj: Any) -> dict[str, Any]:
        """What the audit keeps of a deleted role: its gated concrete fields (never a password)."""
        fields = [f for f in obj._meta.concrete_fields
                  if self.reauth_fields == ALL or f.name in self.reauth_fields]
        return {"model": obj._meta.model_name, "pk": obj.pk, "agency_id": _agency_of(obj),
                "data": {"change": "delete", "was": {f.attname: _plain(getattr(obj, f.attname)) for f in fields}}}

    def _delete_audited(self, request: HttpRequest, objects: list[Any], delete: Any) -> None:
        if not self.reauth_on_delete:
            delete()
            return
        if not sessions.reauth_fresh(request):
            raise ReauthNeeded
        gone = [self._deleted(obj) for obj in objects]
        with transaction.atomic():
            delete()
            for row in gone:
                audit_record(actor=request.user, action=self.reauth_audit_action, object_type=row["model"],
                             object_id=row["pk"], agency_id=row["agency_id"], data=row["data"])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._delete_audited(request, [obj], lambda: super(ReauthAdminMixin, self).delete_model(request, obj))  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        self._delete_audited(request, list(queryset),
                             lambda: super(ReauthAdminMixin, self).delete_queryset(request, queryset))  # type: ignore[misc]
