"""Evidence (bukti dukung) of a keadaan khusus request: checked by content, size-limited,
stored outside the web root, opened only by who may see the request."""

from __future__ import annotations

import os
import secrets
from typing import Any, BinaryIO

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import files
from fleksi.organisation.scoping import scope_for
from fleksi.scheme.facts import agency_calendar

from .checking import run_check
from .models import (
    Evidence,
    RequestState,
)
from .planning import (
    planned_from_request,
)
from .services import (
    EDITABLE,
    _audit,
    _invalid_state,
    _not_found,
    _own_request,
    _transition,
    _validation,
)

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


EVIDENCE_MAX_FILES = 10


# What a file really is, by its content (never by its name or the browser's word); the
# stored name takes the kind's extension (.pdf, .jpg, .png), whatever the upload was called.
EVIDENCE_KINDS = (files.PDF, files.JPEG, files.PNG)


def evidence_may_add(*, actor: Any, request_id: int) -> None:
    """Raise unless ``actor`` may attach evidence to the request now (own, editable, below the
    file limit). The API calls it before the upload is read; evidence_add checks again
    under the request's lock."""
    request = _own_request(actor, request_id, lock=False)
    if request.state not in EDITABLE:
        raise _invalid_state(request, _("diberi bukti"))
    if request.evidence.count() >= EVIDENCE_MAX_FILES:
        raise _validation("file", _("Paling banyak %(n)d berkas bukti.") % {"n": EVIDENCE_MAX_FILES})


def evidence_add(*, actor: Any, request_id: int, upload: UploadedFile) -> Evidence:
    """Attach a supporting file (PDF, JPEG or PNG by its content; at most 5 MB) to the
    actor's own draft or returned request. Stored under MEDIA_ROOT with a random name."""
    try:
        checked = files.check_upload(upload, max_bytes=EVIDENCE_MAX_BYTES, kinds=EVIDENCE_KINDS)
    except files.UploadRefused as refused:
        raise _validation("file", {
            files.UploadRefused.TOO_BIG: _("Berkas paling besar 5 MB."),
            files.UploadRefused.EMPTY: _("Berkas kosong."),
            files.UploadRefused.CONTENT: _("Berkas harus PDF, JPEG atau PNG (isi berkas tidak sesuai)."),
        }[refused.reason]) from None
    content_type, extension, total = checked.content_type, checked.extension, checked.size
    with transaction.atomic():
        request = _own_request(actor, request_id)
        if request.state not in EDITABLE:
            raise _invalid_state(request, _("diberi bukti"))
        if request.evidence.count() >= EVIDENCE_MAX_FILES:
            raise _validation(
                "file", _("Paling banyak %(n)d berkas bukti.") % {"n": EVIDENCE_MAX_FILES}
            )
        original = os.path.basename(upload.name or "bukti")[:255] or "bukti"
        evidence = Evidence(
            request=request,
            original_name=original,
            content_type=content_type,
            size=total,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        evidence.file.save(secrets.token_hex(16) + extension, upload, save=False)
        evidence.save()
        calendar = agency_calendar(request.agency)
        planned = planned_from_request(
            request, calendar=calendar, evidence_count=request.evidence.count()
        )
        request.findings = run_check(
            planned, exclude_request_id=request.pk, calendar=calendar
        ).stored
        request.save(update_fields=["findings", "updated_at"])
        _transition(
            request, actor, request.state, _("Bukti ditambahkan: %(name)s") % {"name": original}
        )
        _audit(
            actor, "evidence_add", request, evidence=evidence.pk, sha256=evidence.sha256, size=total
        )
    return evidence


def evidence_open(*, actor: Any, evidence_id: int) -> tuple[Evidence, BinaryIO]:
    """The file of an evidence for its employee, the approvers (heads of the path, the
    direct supervisor) and the agency's HR admins and PPK; NOT_FOUND for anyone else."""
    evidence = (
        Evidence.objects.select_related("request__employee__unit").filter(pk=evidence_id).first()
    )
    if evidence is None:
        raise _not_found(_("Bukti"))
    request = evidence.request
    scope = scope_for(actor)
    own = scope.employee_id is not None and request.employee_id == scope.employee_id
    others = request.state != RequestState.DRAFT and (
        request.agency_id in scope.admin_agency_ids
        or (scope.employee_id is not None and request.employee.supervisor_id == scope.employee_id)
        or (
            scope.employee_id != request.employee_id
            and any(request.employee.unit.path.startswith(p) for p in scope.head_unit_paths)
        )
    )
    if not (own or others):
        raise _not_found(_("Bukti"))
    handle = evidence.file.open("rb")
    audit_record(
        actor=actor,
        action="flex_request.evidence_open",
        object_type="evidence",
        object_id=evidence.pk,
        agency_id=request.agency_id,
        data={"request": request.pk},
    )
    return evidence, handle  # type: ignore[return-value]
