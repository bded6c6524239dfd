from django.contrib import admin
from django.urls import include, path

from fleksi.config.api import api
from fleksi.organisation import views as organisation_views

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("akun/", include("fleksi.accounts.urls")),
    path("organisasi/", include("fleksi.organisation.urls")),
    path("kerja-fleksibel/", include("fleksi.requests.urls")),
    path("kerja-fleksibel/", include("fleksi.scheme.urls")),
    path("kerja-fleksibel/", include("fleksi.notifications.urls")),
    path("", include("fleksi.schedules.urls")),
    path("presensi/", include("fleksi.attendance.urls")),
    path("kinerja/", include("fleksi.performance.urls")),
    path("pemantauan/", include("fleksi.monitoring.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "fleksi.core.views.bad_request"
handler403 = "fleksi.core.views.permission_denied"
handler404 = "fleksi.core.views.page_not_found"
handler500 = "fleksi.core.views.server_error"
