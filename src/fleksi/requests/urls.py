"""Pages of the request workflow, under /kerja-fleksibel/."""

from django.urls import path

from . import views, views_inbox

app_name = "requests"
urlpatterns = [
    # the employee
    path("", views.my_requests, name="my_requests"),
    path("pengajuan/baru/", views.request_new, name="request_new"),
    path("sisa-hari/", views.flex_allowance, name="flex_allowance"),
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
    path("persetujuan/", views_inbox.inbox, name="inbox"),
    path("persetujuan/setujui-terpilih/", views_inbox.inbox_bulk_approve, name="inbox_bulk_approve"),
]
