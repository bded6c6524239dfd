from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "fleksi.schedules"
    label = "schedules"
    verbose_name = _("Jadwal kerja fleksibel")

    def ready(self) -> None:
        from fleksi.organisation.signals import employees_deleting

        from .rollup import on_employees_deleting

        employees_deleting.connect(on_employees_deleting, dispatch_uid="schedules.plan_rollup.employees_deleting")
