"""Pages of monitoring under /pemantauan/ (the API is under /api/v1/monitoring/)."""

from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("csv/", views.dashboard_csv, name="dashboard_csv"),
    path("laporan/", views.report_start, name="report_start"),
    path("laporan/<int:report_id>/", views.report_page, name="report"),
    path("laporan/<int:report_id>/unduh/", views.report_download, name="report_download"),
    path("kesiapan/", views.readiness, name="readiness"),
    path("ikm/", views.service_import, name="service_import"),
]
