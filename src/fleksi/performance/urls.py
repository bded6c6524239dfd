"""Pages of performance under /kinerja/ (the API is under /api/v1/performance/)."""

from django.urls import path, register_converter

from . import views


class PeriodConverter:
    """A month ``YYYY-MM`` or a quarter ``YYYY-TWn`` (anything else in a page's URL is 404,
    not an error page; the agency's cadence decides which of the two, docs/decisions/190)."""

    regex = r"20\d{2}-(?:0[1-9]|1[0-2]|TW[1-4])"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PeriodConverter, "period")

app_name = "performance"
urlpatterns = [
    path("", views.my_log, name="my_log"),
    path("log/<int:entry_id>/komentar/", views.comment_add, name="comment_add"),
    path("log/<int:entry_id>/hapus/", views.log_delete, name="log_delete"),
    path("bukti/<int:evidence_id>/", views.evidence_open, name="evidence"),
    path("keluaran/", views.output_propose, name="output_propose"),
    path("keluaran/<int:output_id>/putuskan/", views.output_decide, name="output_decide"),
    path("pegawai/<int:employee_id>/<period:period>/", views.period, name="period"),
    path("pegawai/<int:employee_id>/<period:period>/nilai/", views.assess, name="assess"),
    path("pegawai/<int:employee_id>/<period:period>/tanggapan/", views.respond, name="respond"),
    path("pegawai/<int:employee_id>/<period:period>/ekspor.xlsx", views.export_employee, name="export_employee"),
    path("sdm/", views.settings_page, name="settings"),
    path("unit/", views.unit_home, name="unit_home"),
    path("unit/<int:unit_id>/<period:period>/", views.unit_period, name="unit_period"),
    path("unit/<int:unit_id>/<period:period>/ekspor.xlsx", views.export_unit, name="export_unit"),
]
