from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.core.models import TimeStampedModel, Unit


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("Information officer (front desk)")
    COMPLAINT_OFFICER = "complaint_officer", _("Complaint officer")
    HANDLER = "handler", _("Handler (team / division)")
    HEAD = "head", _("Head of unit")
    AUDITOR = "auditor", _("Auditor (APIP)")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A staff member or administrator. Citizens do not need accounts."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    nip = models.CharField(_("employee number (NIP)"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Membership(TimeStampedModel):
    """A user's role in a unit. A member acts on the unit and everything below it."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), related_name="memberships", on_delete=models.CASCADE
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), related_name="memberships", on_delete=models.CASCADE
    )
    role = models.CharField(_("role"), max_length=30, choices=Role)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class LoginRecord(models.Model):
    """One login attempt, successful or not: who, from where, with what, when.

    Written by the ``user_logged_in`` / ``user_login_failed`` receivers in
    ``layanan.accounts.signals``; read-only in the admin. ``username`` keeps what was typed
    even when no such user exists (that is what guessing looks like).
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        related_name="login_records",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    success = models.BooleanField(_("successful"))
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("login record")
        verbose_name_plural = _("login records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["username", "-at"])]

    def __str__(self) -> str:
        outcome = _("success") if self.success else _("failure")
        return f"{self.username} — {outcome} — {self.at:%Y-%m-%d %H:%M}"
