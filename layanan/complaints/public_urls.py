"""Public complaint routes (Indonesian paths), namespace ``complaints_public``.

- ``form`` → ``/pengaduan/``; ``form_unit`` (unit_slug) → ``/pengaduan/<unit>/``, optionally
  ``?layanan=<service slug>`` to preselect a service of that unit;
- ``receipt`` (code) → ``/pengaduan/diterima/<code>/`` (for the browser that sent it; anyone
  else is redirected to the tracking page);
- ``lookup`` → ``/lacak/``; ``track`` (code) → ``/lacak/<code>/`` (a POST there asks for a
  closed complaint to be reopened, within the window).

Codes are accepted as typed (any case, dashes or spaces) and redirected to ``ABCD-EFGH-JKMN``.
"""

from django.urls import path

from . import public_views as views

app_name = "complaints_public"

urlpatterns = [
    path("pengaduan/", views.complaint_form, name="form"),
    path("pengaduan/diterima/<str:code>/", views.complaint_receipt, name="receipt"),
    path("pengaduan/<slug:unit_slug>/", views.complaint_form, name="form_unit"),
    path("lacak/", views.track_lookup, name="lookup"),
    path("lacak/<str:code>/", views.track_case, name="track"),
    path(
        "lacak/<str:code>/surat-jawaban.pdf",
        views.track_answer_letter,
        name="answer_letter",
    ),
]
