"""Public facility request pages, included under ``fasilitas/`` (namespace ``bookings_public``).

- ``form`` → ``/fasilitas/``: the request form (resource and time range);
- ``status`` (code) → ``/fasilitas/permohonan/<code>/``: the decision, keyed by tracking code;
- ``notice`` (code) → ``/fasilitas/permohonan/<code>/pemberitahuan/``: the decision notice PDF;
- ``schedule`` → ``/fasilitas/jadwal/``: every facility's week at a glance (``?minggu=2026-W50``);
- ``week`` (pk) → ``/fasilitas/jadwal/<pk>/``: one facility's week, free time linking to the form.
"""

from django.urls import path

from . import public_views as views

app_name = "bookings_public"

urlpatterns = [
    path("", views.request_form, name="form"),
    path("permohonan/<str:code>/", views.request_status, name="status"),
    path("permohonan/<str:code>/pemberitahuan/", views.request_notice, name="notice"),
    path("jadwal/", views.schedule, name="schedule"),
    path("jadwal/<int:pk>/", views.resource_week, name="week"),
]
