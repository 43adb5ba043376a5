"""Complaint-specific fields of a case (one-to-one with ``cases.Case``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.cases.models import Case
from layanan.core.scoping import unit_scoped_manager


class ComplaintDetail(models.Model):
    case = models.OneToOneField(
        Case, related_name="complaint", on_delete=models.CASCADE, primary_key=True
    )
    # The class as the unit's standard names it (codes: ringan, normatif, …); blank until the
    # complaint officer classifies it.
    class_code = models.SlugField(_("complaint class"), max_length=60, blank=True)
    class_name = models.CharField(_("complaint class name"), max_length=200, blank=True)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    lapor_number = models.CharField(
        _("SP4N-LAPOR! tracking number"), max_length=40, blank=True, db_index=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    # Queries outside a unit scope raise ScopeError (layanan/core/scoping.py).
    objects = unit_scoped_manager("case__unit", "case__assigned_unit")

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return str(self.case)

    @property
    def is_classified(self) -> bool:
        return bool(self.class_code)
