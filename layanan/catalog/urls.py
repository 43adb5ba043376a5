from django.urls import path
from django.views.generic import TemplateView

app_name = "catalog"

# Minimal routes; the public catalogue views replace these.
urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="home"),
    path(
        "layanan/<slug:unit>/<slug:slug>/",
        TemplateView.as_view(template_name="base.html"),
        name="standard",
    ),
    path(
        "layanan/<slug:unit>/<slug:slug>/versi/<int:number>/",
        TemplateView.as_view(template_name="base.html"),
        name="standard_version",
    ),
]
