from django.urls import path

from . import views

app_name = "setup"

urlpatterns = [
    path("", views.steps, name="steps"),
    path("organisasi/", views.organisation, name="organisation"),
    path("berkas/", views.organisation_file, name="organisation_file"),
    path("unit/", views.unit, name="unit"),
    path("standar/", views.standards, name="standards"),
    path("terbitkan/", views.publish, name="publish"),
    path("selesai/", views.finish, name="finish"),
    path("akun/<str:token>/", views.start, name="start"),
]
