"""The bell and the notifications page (under /kerja-fleksibel/)."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifikasi/", views.notifications, name="notifications"),
    path("notifikasi/lonceng/", views.notification_bell, name="notification_bell"),
    path("notifikasi/baca/", views.notification_read, name="notification_read"),
    path("notifikasi/<int:notification_id>/", views.notification_open, name="notification_open"),
]
