"""Public catalogue routes (Indonesian paths). Other code reverses ``catalog:home``,
``catalog:standard`` (unit_slug, slug) and ``catalog:standard_version`` (unit_slug, slug, number).
"""

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("unit/<slug:unit_slug>/", views.unit_detail, name="unit"),
    path("unit/<slug:unit_slug>/maklumat/", views.pledge_detail, name="pledge"),
    path("unit/<slug:unit_slug>/maklumat.pdf", views.pledge_pdf, name="pledge_pdf"),
    path("layanan/<slug:unit_slug>/<slug:slug>/", views.standard_detail, name="standard"),
    path(
        "layanan/<slug:unit_slug>/<slug:slug>/versi/",
        views.standard_history,
        name="standard_history",
    ),
    path(
        "layanan/<slug:unit_slug>/<slug:slug>/versi/<int:number>/",
        views.standard_version,
        name="standard_version",
    ),
    path(
        "layanan/<slug:unit_slug>/<slug:slug>/poster.pdf",
        views.standard_poster,
        name="standard_poster",
    ),
    path("layanan/<slug:unit_slug>/<slug:slug>/qr.svg", views.standard_qr, name="standard_qr"),
]
