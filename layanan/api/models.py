"""API tokens for staff and integrations.

A token is shown once, at creation: ``lyn_<prefix>_<secret>``. Only the prefix (for lookup and
display) and the SHA-256 of the whole key are stored, so a copy of the database does not hand out
working credentials. A plain hash is enough here because the secret is 256 random bits (there is
nothing to brute-force, unlike a password).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.core.models import Unit

KEY_PREFIX = "lyn_"


class ApiToken(models.Model):
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “LAPOR! sync”.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="api_tokens",
        on_delete=models.CASCADE,
        help_text=_("The token acts with this user's roles."),
    )
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("limited to units"),
        related_name="api_tokens",
        blank=True,
        help_text=_(
            "Optional: the token only acts on these units (and the units below them), within "
            "the user's own rights. Empty: everything the user may do."
        ),
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: the token does not expire.")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.display_prefix})"

    @property
    def display_prefix(self) -> str:
        """What may be shown of the key: enough to recognise it, useless to use it."""
        return f"{KEY_PREFIX}{self.prefix}…" if self.prefix else ""

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired()
