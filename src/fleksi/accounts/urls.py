from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views, views_logout

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views_logout.LogoutView.as_view(), name="logout"),
    path("bahasa/", views.set_language, name="set_language"),
    path("saya/", views.account, name="account"),
    path("token/", views.tokens, name="tokens"),
    path("sandi/lupa/", views.ResetView.as_view(), name="password_reset"),
    path("sandi/ubah/", views.PasswordChangeView.as_view(), name="password_change"),
    path("konfirmasi/", views.reauth, name="reauth"),
    path("2fa/", views.otp_enrol, name="otp_enrol"),
    path("2fa/verifikasi/", views.otp_verify, name="otp_verify"),
    path("2fa/kode-pemulihan/", views.otp_recovery_renew, name="otp_recovery_renew"),
    path(
        "sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
