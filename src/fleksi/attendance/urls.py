"""Pages of attendance under /presensi/ (the API is under /api/v1/attendance/)."""

from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("", views.check_in_page, name="check_in"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("unit/", views.unit_board, name="unit_board"),
]
