from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "fleksi.schedules"
    label = "schedules"
    verbose_name = _("Jadwal kerja fleksibel")
