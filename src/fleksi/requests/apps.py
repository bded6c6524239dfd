from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "fleksi.requests"
    label = "requests"
    verbose_name = _("Pengajuan kerja fleksibel")
