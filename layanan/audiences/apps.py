from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AudiencesConfig(AppConfig):
    """Audience requests (audiensi): their own app since issue 21, with the label ``audiences``.

    The models came from the ``bookings`` app and keep their tables (``db_table =
    "bookings_audiencedetail"`` …): the move is in Django's state only
    (``bookings/0005`` forgets them, ``audiences/0001`` knows them again, neither touches the
    database), and ``audiences/0002`` moves their content types, so the permissions granted on
    them, the admin's log and any generic reference follow them to the new label.
    """

    name = "layanan.audiences"
    label = "audiences"
    verbose_name = _("Audience requests")
