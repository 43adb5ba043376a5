from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "layanan.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from . import notifications  # noqa: F401  (connects the reporter e-mails to case events)
