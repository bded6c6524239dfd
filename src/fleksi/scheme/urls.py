"""The agency's scheme: settings, policy, national flexible days, offices and places
(under /kerja-fleksibel/)."""

from django.urls import path

from . import views, views_offices

app_name = "scheme"
urlpatterns = [
    path("pengaturan/", views.settings_home, name="settings_home"),
    path("instansi/<int:agency_id>/pengaturan/", views.agency_settings, name="agency_settings"),
    path(
        "instansi/<int:agency_id>/pengaturan/umum/",
        views.agency_settings_general,
        name="agency_settings_general",
    ),
    path(
        "instansi/<int:agency_id>/pengaturan/kebijakan/", views.agency_policy, name="agency_policy"
    ),
    path("instansi/<int:agency_id>/kantor/", views_offices.office_edit, name="office_add"),
    path(
        "instansi/<int:agency_id>/kantor/<int:office_id>/",
        views_offices.office_edit,
        name="office_edit",
    ),
    path("instansi/<int:agency_id>/lokasi/", views_offices.place_edit, name="place_add"),
    path(
        "instansi/<int:agency_id>/lokasi/<int:place_id>/",
        views_offices.place_edit,
        name="place_edit",
    ),
    path("instansi/<int:agency_id>/hari-fleksibel/", views.flex_day_add, name="flex_day_add"),
    path(
        "instansi/<int:agency_id>/hari-fleksibel/<int:flex_day_id>/hapus/",
        views.flex_day_remove,
        name="flex_day_remove",
    ),
]
