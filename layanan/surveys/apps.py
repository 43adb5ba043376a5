from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "layanan.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction survey")

    def ready(self):
        from . import notifications  # noqa: F401  (the survey link when a case closes)
