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
