"""Audience requests (audiensi), public and staff, included at the root (namespace ``audience``).

- ``form`` → ``/audiensi/``; ``status`` (code) → ``/audiensi/permohonan/<code>/``;
- ``list`` → ``/staf/audiensi/``; ``record`` → ``/staf/audiensi/catat/``;
- ``letter_template`` → ``/staf/audiensi/templat-surat/?unit=<slug>``;
- ``detail`` (case number) → ``/staf/audiensi/permohonan/KESRA/AUD/2026/000001/``;
- ``reply_pdf`` → ``/staf/audiensi/permohonan/KESRA/AUD/2026/000001/surat-balasan.pdf``;
- ``reply_preview`` → ``…/pratinjau-surat/`` (preview and confirm), ``reply_preview_pdf`` →
  ``…/pratinjau-surat.pdf``;
- ``public_letter`` (code) → ``/audiensi/permohonan/<code>/surat-balasan.pdf``.
"""

from django.urls import path

from . import public_views, views

app_name = "audience"

urlpatterns = [
    path("audiensi/", public_views.request_form, name="form"),
    path("audiensi/permohonan/<str:code>/", public_views.request_status, name="status"),
    path(
        "audiensi/permohonan/<str:code>/surat-balasan.pdf",
        public_views.request_letter,
        name="public_letter",
    ),
    path("staf/audiensi/", views.audience_list, name="list"),
    path("staf/audiensi/catat/", views.audience_record, name="record"),
    path("staf/audiensi/templat-surat/", views.letter_template, name="letter_template"),
    path(
        "staf/audiensi/permohonan/<path:ref>/surat-balasan.pdf",
        views.reply_letter_pdf,
        name="reply_pdf",
    ),
    path(
        "staf/audiensi/permohonan/<path:ref>/pratinjau-surat.pdf",
        views.reply_preview_pdf,
        name="reply_preview_pdf",
    ),
    path(
        "staf/audiensi/permohonan/<path:ref>/pratinjau-surat/",
        views.reply_preview,
        name="reply_preview",
    ),
    path("staf/audiensi/permohonan/<path:ref>/", views.audience_detail, name="detail"),
]
