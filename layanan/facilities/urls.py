"""Staff pages of facility requests, included under ``staf/fasilitas/`` (namespace ``bookings``).

- ``list`` → ``/staf/fasilitas/``: requests of the user's units, filterable by state/resource;
- ``record`` → ``/staf/fasilitas/catat/``: record a request received as a paper letter (scan);
- ``notice`` (case number) → ``/staf/fasilitas/pemberitahuan/UMUM/FAS/2026/000001/``: the PDF;
- ``calendar`` → ``/staf/fasilitas/kalender/?week=2026-W05&resource=<id>``;
- ``detail`` (case number) → ``/staf/fasilitas/permohonan/UMUM/FAS/2026/000001/`` with the
  approve / refuse / cancel actions (POST to the same address).
"""

from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("", views.booking_list, name="list"),
    path("kalender/", views.booking_calendar, name="calendar"),
    path("catat/", views.booking_record, name="record"),
    path("pemberitahuan/<path:ref>/", views.notice_pdf, name="notice"),
    path("permohonan/<path:ref>/", views.booking_detail, name="detail"),
]
