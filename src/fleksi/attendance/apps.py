from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "fleksi.attendance"
    label = "attendance"
    verbose_name = _("Presensi")

    def ready(self) -> None:
        from fleksi.organisation.signals import employees_deleting

        from .rollup import on_employees_deleting

        employees_deleting.connect(on_employees_deleting, dispatch_uid="attendance.rollup.employees_deleting")
