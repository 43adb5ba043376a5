from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    """Facility requests (rooms, vehicles, equipment): the package is ``layanan.facilities``,
    the app *label* stays ``bookings``.

    The label names the tables (``bookings_resource``, ``bookings_bookingdetail``,
    ``bookings_facilitynotice`` …), the migration history (``django_migrations`` rows of app
    ``bookings``), the content types and so the permissions (``bookings.view_resource``) and
    the admin's addresses (``admin:bookings_resource_changelist``). Renaming the package moves
    only code; keeping the label keeps every existing database, its data and every user's
    rights as they are, with no migration. The audience requests that shared this app until
    issue 21 are the ``audiences`` app now (their tables keep the ``bookings_`` names, see
    ``layanan/audiences/apps.py``).
    """

    name = "layanan.facilities"
    label = "bookings"
    verbose_name = _("Facility requests")
