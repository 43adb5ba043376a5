"""Staff pages of cases, included under ``staf/``.

Other code reverses ``cases:inbox`` and ``cases:detail`` (with the case number, e.g.
``KESRA/ADU/2026/000123``, or its primary key), ``cases:complaint_record`` and
``cases:attachment_download``.
"""

from django.urls import path
from django.views.generic import RedirectView

from layanan.complaints.staff_views import complaint_answer_letter, complaint_record

from . import views
from .attachments import attachment_download

app_name = "cases"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:inbox"), name="home"),
    path("kasus/", views.inbox, name="inbox"),
    path("kasus/<path:ref>/", views.case_detail, name="detail"),
    path("pengaduan/baru/", complaint_record, name="complaint_record"),
    path(
        "pengaduan/<path:ref>/surat-jawaban.pdf",
        complaint_answer_letter,
        name="complaint_answer_letter",
    ),
    path("lampiran/<int:pk>/", attachment_download, name="attachment_download"),
]
