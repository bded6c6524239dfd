"""Pages of the flexible-work workflow, under /kerja-fleksibel/."""

from django.urls import path

from . import views

app_name = "arrangements"
urlpatterns = [
    # the employee
    path("", views.my_requests, name="my_requests"),
    path("pengajuan/baru/", views.request_new, name="request_new"),
    path("pengajuan/periksa/", views.request_check, name="request_check"),
    path("pengajuan/<int:request_id>/", views.request_detail, name="request_detail"),
    path("pengajuan/<int:request_id>/ubah/", views.request_edit, name="request_edit"),
    path("pengajuan/<int:request_id>/periksa/", views.request_check, name="request_check_existing"),
    path("pengajuan/<int:request_id>/batalkan/", views.request_cancel, name="request_cancel"),
    path("bukti/<int:evidence_id>/", views.evidence_open, name="evidence_open"),
    # the approver
    path("pengajuan/<int:request_id>/setujui/", views.request_approve, name="request_approve"),
    path("pengajuan/<int:request_id>/tolak/", views.request_reject, name="request_reject"),
    path("pengajuan/<int:request_id>/kembalikan/", views.request_return, name="request_return"),
    path("pengajuan/<int:request_id>/cabut/", views.request_revoke, name="request_revoke"),
    path("persetujuan/", views.inbox, name="inbox"),
    path("persetujuan/setujui-terpilih/", views.inbox_bulk_approve, name="inbox_bulk_approve"),
    # calendars
    path("kalender/", views.team_calendar, name="team_calendar"),
    path("kalender-saya/", views.calendar_feed, name="calendar_feed"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical_feed"),
    # the agency (HR admin / PPK)
    path("pengaturan/", views.settings_home, name="settings_home"),
    path("instansi/<int:agency_id>/pengaturan/", views.agency_settings, name="agency_settings"),
    path("instansi/<int:agency_id>/pengaturan/umum/", views.agency_settings_general, name="agency_settings_general"),
    path("instansi/<int:agency_id>/pengaturan/kebijakan/", views.agency_policy, name="agency_policy"),
    path("instansi/<int:agency_id>/kantor/", views.office_edit, name="office_add"),
    path("instansi/<int:agency_id>/kantor/<int:office_id>/", views.office_edit, name="office_edit"),
    path("instansi/<int:agency_id>/lokasi/", views.place_edit, name="place_add"),
    path("instansi/<int:agency_id>/lokasi/<int:place_id>/", views.place_edit, name="place_edit"),
    path("instansi/<int:agency_id>/hari-fleksibel/", views.flex_day_add, name="flex_day_add"),
    path("instansi/<int:agency_id>/hari-fleksibel/<int:flex_day_id>/hapus/", views.flex_day_remove, name="flex_day_remove"),
    # notifications
    path("notifikasi/", views.notifications, name="notifications"),
    path("notifikasi/lonceng/", views.notification_bell, name="notification_bell"),
    path("notifikasi/baca/", views.notification_read, name="notification_read"),
]
