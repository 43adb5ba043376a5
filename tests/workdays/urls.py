"""The project's URLs plus the calendar page, until layanan/urls.py includes it."""

from django.urls import include, path

from layanan.urls import urlpatterns as project_patterns

urlpatterns = list(project_patterns)
if not any(getattr(p, "namespace", None) == "workdays" for p in urlpatterns):
    urlpatterns.insert(0, path("staf/kalender/", include("layanan.workdays.urls")))
