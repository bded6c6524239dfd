from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "fleksi.organisation"
    label = "organisation"
    verbose_name = _("Organisasi")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import remember_idle_minutes

        # At every login, the agency's idle timeout goes into the session once, so a request
        # does not look it up (docs/decisions/152).
        user_logged_in.connect(remember_idle_minutes, weak=False, dispatch_uid="fleksi.organisation.idle_minutes")
