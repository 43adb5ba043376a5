from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "layanan.visits"
    label = "visits"
    verbose_name = _("Guest book and queue")
