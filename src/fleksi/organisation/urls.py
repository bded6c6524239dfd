from django.urls import path

from . import views, views_import

app_name = "organisation"
urlpatterns = [
    path("unit/", views.unit_tree, name="unit_tree"),
    path("unit/<int:unit_id>/pelimpahan/", views.unit_delegations, name="unit_delegations"),
    path("pegawai/", views.employee_directory, name="employee_list"),
    path("impor/", views_import.import_employees, name="import"),
    path("impor/templat-pegawai.<str:fmt>", views_import.import_template, name="import_template"),
    path("pegawai/<int:employee_id>/", views.employee_detail, name="employee_detail"),
    path("keamanan-akun/", views.account_security, name="account_security"),
]
