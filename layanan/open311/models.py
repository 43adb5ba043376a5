"""What an Open311 client sent beside the complaint itself.

``ComplaintDetail`` has one free-text ``location``; GeoReport v2 sends a WGS84 point, an address
string or an address id, a media URL, device/account ids and service attributes. They are kept
here, one row per complaint filed through ``/open311/v2/`` (the address string is copied into the
complaint's ``location`` too, so the staff pages show it). Only complaints with such a row show a
location in the public Open311 answers: a client filing through Open311 sent it to a public API,
while the web form's location field was never promised to be public.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.api.models import ApiToken
from layanan.cases.models import Case


class Open311Request(models.Model):
    case = models.OneToOneField(
        Case, related_name="open311", on_delete=models.CASCADE, primary_key=True
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    long = models.FloatField(_("longitude"), null=True, blank=True)
    address_string = models.CharField(_("address"), max_length=300, blank=True)
    address_id = models.CharField(_("address id"), max_length=100, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    api_token = models.ForeignKey(
        ApiToken,
        verbose_name=_("API token"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return str(self.case)
