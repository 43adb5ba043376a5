from django.contrib import admin
from django.urls import include, path

from layanan.core.views import favicon

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("akun/", include("layanan.accounts.urls")),
    path("api/v1/", include("layanan.api.urls")),
    path("staf/kalender/", include("layanan.workdays.urls")),
    path("staf/masuk/", include("layanan.intake.urls")),
    path("staf/evaluasi/", include("layanan.evaluation.urls")),
    path("masuk/whatsapp/", include("layanan.intake.whatsapp_urls")),
    path("staf/", include("layanan.cases.urls")),
    path("", include("layanan.complaints.public_urls")),
    path("survei/", include("layanan.surveys.urls")),
    path("staf/fasilitas/", include("layanan.facilities.urls")),
    path("fasilitas/", include("layanan.facilities.public_urls")),
    path("", include("layanan.visits.urls")),
    path("", include("layanan.audiences.urls")),
    path("open311/v2/", include("layanan.open311.urls")),
    path("mulai/", include("layanan.setup.urls")),
    path("", include("layanan.reports.urls")),
    path("", include("layanan.ops.urls")),
    path("", include("layanan.catalog.urls")),
]

# Failures raised outside the views answer in the format of /api/ and /open311/ (JSON, the
# Open311 error document) and 503 for a database outage: layanan/core/middleware.py.
handler400 = "layanan.core.middleware.bad_request"
handler403 = "layanan.core.middleware.permission_denied"
handler404 = "layanan.core.middleware.page_not_found"
handler500 = "layanan.core.middleware.server_error"
