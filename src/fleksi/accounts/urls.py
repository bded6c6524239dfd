from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views, views_logout
from .forms import ActivationOrResetForm

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views_logout.LogoutView.as_view(), name="logout"),
    path("bahasa/", views.set_language, name="set_language"),
    path("saya/", views.account, name="account"),
    path("token/", views.tokens, name="tokens"),
    path(
        "sandi/lupa/",
        auth_views.PasswordResetView.as_view(
            form_class=ActivationOrResetForm,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
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
