"""The REST API under /api/v1: one error shape {"code", "message", "details"}."""


from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fleksi.accounts.api_auth import SessionAuth, TokenAuth
from fleksi.attendance.api import router as attendance_router
from fleksi.attendance.api_corrections import router as attendance_more_router
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.monitoring.api import router as monitoring_router
from fleksi.notifications.api import router as notifications_router
from fleksi.organisation.api import router as organisation_router
from fleksi.organisation.api_me import router as accounts_router
from fleksi.performance.api import router as performance_router
from fleksi.requests.api import router as requests_router
from fleksi.schedules.api import router as schedules_router
from fleksi.schedules.api_plans import router as plans_router
from fleksi.schedules.api_responses import router as schedule_responses_router

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "description": "Satu bentuk galat untuk seluruh API.",
    "properties": {
        "code": {"type": "string", "description": "kode stabil, mis. not_found, permission_denied"},
        "message": {"type": "string", "description": "pesan dalam bahasa pengguna"},
        "details": {"type": "object", "additionalProperties": True},
    },
    "required": ["code", "message", "details"],
}
ERROR_RESPONSES = {
    "400": "Masukan rusak di tingkat HTTP (mis. byte NUL)",
    "401": "Tidak terautentikasi: tidak ada token Bearer atau sesi yang sah",
    "403": "Tidak berhak (atau pemeriksaan CSRF sesi gagal)",
    "404": "Tidak ditemukan, atau di luar cakupan pengguna",
    "409": "Bertentangan dengan keadaan data (mis. status pengajuan)",
    "422": "Masukan tidak valid atau melanggar aturan",
}


class FleksiAPI(NinjaAPI):
    """The schema lists the error answers of every operation with the one error shape."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    if status not in responses and int(status) not in responses:
                        responses[status] = {"description": description, "content": ref}
        return schema


api = FleksiAPI(
    title="Fleksi API",
    version="1",
    description="Kerja fleksibel ASN (PermenPANRB 4/2025). Autentikasi: `Authorization: Bearer <token>` "
    "(buat dengan `fleksi token create NIP` atau di halaman Token API) atau sesi peramban.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, code: str, message: str, details: object = None) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "details": details or {}}, status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.status, str(exc.code), exc.message, exc.details)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, ErrorCode.UNAUTHENTICATED, _("Autentikasi diperlukan: kirim token Bearer yang sah."))


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, ErrorCode.VALIDATION, _("Masukan tidak valid."), {"errors": exc.errors})


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, ErrorCode.NOT_FOUND, _("Tidak ditemukan."))


@api.exception_handler(RawPostDataException)
def on_form_body(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    # A form or multipart body sent to an endpoint that reads JSON: the middleware's NUL
    # guard has already read the stream, and the body was never JSON anyway.
    return _error(request, 422, ErrorCode.VALIDATION, _("Isi permintaan harus JSON (Content-Type: application/json)."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))


api.add_router("", accounts_router)
api.add_router("", organisation_router)
api.add_router("", requests_router)
api.add_router("", schedules_router)
api.add_router("", notifications_router)
api.add_router("", plans_router)
api.add_router("", schedule_responses_router)
api.add_router("", attendance_router)
api.add_router("", attendance_more_router)
api.add_router("", performance_router)
api.add_router("", monitoring_router)
