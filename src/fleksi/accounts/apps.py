from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fleksi.accounts"
    label = "accounts"
    verbose_name = _("Akun")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .sessions import start

        # Every login (the form, the admin, the test client's force_login) starts the clocks
        # of the session rules (docs/decisions/152).
        def on_login(sender: object, request: object, user: object, **kwargs: object) -> None:
            if request is not None and hasattr(request, "session"):
                start(request, user)  # type: ignore[arg-type]

        user_logged_in.connect(on_login, weak=False, dispatch_uid="fleksi.accounts.session_start")

        from django.db.models.signals import post_delete, post_save
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from .twofactor import devices_changed

        # Every write of a 2FA device, whichever path made it (enrolment, recovery codes,
        # an admin's reset, the Django admin), ends what sessions cached of the devices
        # (docs/decisions/215).
        for model in (TOTPDevice, StaticDevice):
            for signal in (post_save, post_delete):
                signal.connect(devices_changed, sender=model, weak=False,
                               dispatch_uid=f"fleksi.accounts.otp_version.{model.__name__}.{signal is post_save}")
