from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "fleksi.performance"
    label = "performance"
    verbose_name = _("Kinerja")

    def ready(self) -> None:
        from fleksi.attendance.hooks import register_check_out_check

        from .checks import log_before_check_out

        register_check_out_check(log_before_check_out)

        from fleksi.schedules.rollup import plan_days_changed

        from .log_rollup import plan_days_changed as recompute_logged_days

        plan_days_changed.connect(recompute_logged_days, dispatch_uid="performance.log_rollup")

        from fleksi.organisation.signals import employees_deleting, employees_moved

        from .rollup import on_employees_deleting, on_employees_moved

        employees_moved.connect(on_employees_moved, dispatch_uid="performance.assessment_rollup")
        employees_deleting.connect(on_employees_deleting, dispatch_uid="performance.assessment_rollup.deleting")
