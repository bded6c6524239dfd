"""The REST API under /api/v1: one error shape {"code", "message", "details"}."""


from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fleksi.accounts.api_auth import SessionAuth, TokenAuth
from fleksi.attendance.api import router as attendance_router
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.monitoring.api import router as monitoring_router
from fleksi.notifications.api import router as notifications_router
from fleksi.organisation.api import router as organisation_router
from fleksi.organisation.api_me import router as accounts_router
from fleksi.requests.api import router as requests_router
from fleksi.schedules.api import router as schedules_router
from fleksi.schedules.api_plans import router as plans_router

api = NinjaAPI(
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


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))


api.add_router("", accounts_router)
api.add_router("", organisation_router)
api.add_router("", requests_router)
api.add_router("", schedules_router)
api.add_router("", notifications_router)
api.add_router("", plans_router)
api.add_router("", attendance_router)
api.add_router("", monitoring_router)
