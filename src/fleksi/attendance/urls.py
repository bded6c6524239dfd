"""Pages of attendance under /presensi/ (the API is under /api/v1/attendance/)."""

from django.urls import path

from . import views, views_corrections, views_hr, views_recap

app_name = "attendance"
urlpatterns = [
    path("", views.check_in_page, name="check_in"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("unit/", views.unit_board, name="unit_board"),
    path("koreksi/", views_corrections.my_corrections, name="corrections"),
    path("koreksi/baru/", views_corrections.correction_new, name="correction_new"),
    path("koreksi/<int:correction_id>/putuskan/", views_corrections.correction_decide, name="correction_decide"),
    path("rekap/", views_recap.recap_page, name="recap"),
    path("rekap/unduh/", views_recap.recap_download, name="recap_download"),
    path("rekap/kunci/", views_recap.recap_lock, name="recap_lock"),
    path("sdm/", views_hr.hr_page, name="hr"),
    path("sdm/kantor/<int:office_id>/", views_hr.office_geofence, name="hr_office"),
    path("sdm/cuti/", views_hr.leave_add, name="hr_leave"),
    path("sdm/cuti/impor/", views_hr.leave_import, name="hr_leave_import"),
]
