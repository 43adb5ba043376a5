from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _unit_saved(sender, instance, raw=False, **kwargs):
    """A unit's name and contacts are printed on its posters: render them again (in the
    background, after commit). The stored file is named by its content, so until then the
    poster page renders the new one on demand rather than serve the old."""
    if raw:
        return
    from .models import ServiceStandard
    from .tasks import poster_render_soon

    for standard in ServiceStandard.objects.filter(unit=instance, published_version__isnull=False):
        poster_render_soon(standard)


def _office_hours_changed(sender, instance, raw=False, **kwargs):
    """Office hours are printed on the posters of the unit and of the units below it that have
    no week of their own: render those posters again (after commit). The poster key includes
    the hours, so a poster not re-rendered yet is rendered on demand, never served stale."""
    if raw:
        return
    from .models import ServiceStandard
    from .tasks import poster_render_soon

    unit = instance.unit
    for standard in ServiceStandard.objects.filter(
        unit__path__startswith=unit.path, published_version__isnull=False
    ):
        poster_render_soon(standard)


class CatalogConfig(AppConfig):
    name = "layanan.catalog"
    label = "catalog"
    verbose_name = _("Service catalogue")

    def ready(self):
        post_save.connect(_unit_saved, sender="core.Unit", dispatch_uid="catalog.poster_unit")
        for signal in (post_save, post_delete):
            signal.connect(
                _office_hours_changed,
                sender="workdays.OfficeHours",
                dispatch_uid=f"catalog.poster_hours_{signal is post_save}",
            )
