"""Report pages (included at the site root): the public dashboard under ``laporan/``, the staff
pages under ``staf/laporan/``."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("laporan/", views.public_dashboard, name="public"),
    path("staf/laporan/", views.staff_dashboard, name="dashboard"),
    path("staf/laporan/<slug:unit_slug>/skm/", views.skm, name="skm"),
    path("staf/laporan/<slug:unit_slug>/skm.pdf", views.skm_pdf, name="skm_pdf"),
    path("staf/laporan/<slug:unit_slug>/skm.xlsx", views.skm_xlsx, name="skm_xlsx"),
    path(
        "staf/laporan/<slug:unit_slug>/<str:month>/evaluasi.pdf",
        views.monthly_pdf,
        name="monthly_pdf",
    ),
    path(
        "staf/laporan/<slug:unit_slug>/<str:month>/evaluasi.xlsx",
        views.monthly_xlsx,
        name="monthly_xlsx",
    ),
]
