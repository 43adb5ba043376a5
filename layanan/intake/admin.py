"""Mailboxes in the admin: the connection of each unit's official mailbox.

The password is write-only: a new one is typed into an empty field (stored encrypted), never
shown back, not even masked; leaving the field empty keeps the stored one. Or the mailbox names
an environment variable of the server that holds it. Every change is in the audit log (never
the password)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.core.audit import audit_log
from layanan.core.models import AuditAction

from .models import Mailbox
from .poller import MailboxError, open_mailbox


class MailboxForm(forms.ModelForm):
    new_password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Stored encrypted and never shown again. Leave empty to keep the stored password."
        ),
    )
    forget_password = forms.BooleanField(label=_("Remove the stored password"), required=False)

    class Meta:
        model = Mailbox
        fields = [
            "unit",
            "address",
            "host",
            "port",
            "security",
            "username",
            "password_env",
            "folder",
            "processed_folder",
            "is_active",
        ]

    def save(self, commit=True):
        mailbox = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            mailbox.set_password(self.cleaned_data["new_password"])
        elif self.cleaned_data.get("forget_password"):
            mailbox.set_password("")
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ["address", "unit", "host", "is_active", "last_polled_at", "has_error"]
    list_filter = ["is_active"]
    search_fields = ["address", "host", "unit__name"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["password_state", "last_polled_at", "last_uid", "last_error"]
    actions = ["test_connection"]
    fieldsets = [
        (None, {"fields": ["unit", "address", "is_active"]}),
        (_("Server"), {"fields": ["host", "port", "security", "username", "folder"]}),
        (
            _("Password"),
            {"fields": ["password_state", "password_env", "new_password", "forget_password"]},
        ),
        (_("After reading"), {"fields": ["processed_folder"]}),
        (_("Last run"), {"fields": ["last_polled_at", "last_uid", "last_error"]}),
    ]

    @admin.display(description=_("password"))
    def password_state(self, obj):
        if obj.password_env:
            return gettext("From the environment variable %(name)s") % {"name": obj.password_env}
        if obj.password_encrypted:
            return gettext("Stored (encrypted)")
        return gettext("None")

    @admin.display(description=_("error"), boolean=True)
    def has_error(self, obj):
        return bool(obj.last_error)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [name for name in form.changed_data if name != "forget_password"]
        audit_log(
            actor=request.user,
            action=AuditAction.MAILBOX_CHANGED,
            target=obj,
            unit=obj.unit,
            data={"fields": sorted(changed), "created": not change},
        )

    @admin.action(description=_("Test the connection"))
    def test_connection(self, request, queryset):
        for mailbox in queryset:
            try:
                with open_mailbox(mailbox) as box:
                    count = box.folder.status(mailbox.folder)["MESSAGES"]
            except MailboxError as error:
                self.message_user(request, f"{mailbox}: {error}", messages.ERROR)
            except Exception as error:
                self.message_user(
                    request, f"{mailbox}: {type(error).__name__}: {error}", messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    gettext("%(mailbox)s: connected, %(count)s message(s) in %(folder)s.")
                    % {"mailbox": mailbox, "count": count, "folder": mailbox.folder},
                )
