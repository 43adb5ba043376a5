"""One-time tokens that open the first-run page of an empty installation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FirstRunToken(models.Model):
    """A token printed by ``manage.py first_run_token``; only its SHA-256 is stored.

    ``used_at``/``used_by``: the token was spent creating the first administrator, who may then
    finish the set-up; ``finished_at``: the set-up is over and the first-run page is gone.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("first-run token")
        verbose_name_plural = _("first-run tokens")

    def __str__(self) -> str:
        return f"{self.token_hash[:8]}… ({self.expires_at:%Y-%m-%d %H:%M})"
