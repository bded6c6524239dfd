from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchemeConfig(AppConfig):
    name = "fleksi.scheme"
    label = "scheme"
    verbose_name = _("Skema kerja fleksibel instansi")
