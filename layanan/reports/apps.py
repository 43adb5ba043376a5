from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "layanan.reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import signals

        if apps.is_installed("layanan.visits"):
            signals.connect_visits()
