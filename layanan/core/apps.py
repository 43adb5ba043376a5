from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "layanan.core"
    label = "core"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the deploy check of the static manifest)
            timezones,  # noqa: F401  (connects the signal that refreshes the default)
        )
