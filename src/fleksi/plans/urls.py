from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_check, name="check"),
    path("templat/", views.plan_template, name="template"),
]
