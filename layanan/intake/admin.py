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

from .models import Mailbox, WhatsAppEvent, WhatsAppEventStatus, WhatsAppNumber
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


@admin.register(WhatsAppNumber)
class WhatsAppNumberAdmin(admin.ModelAdmin):
    """Each unit's WhatsApp Business number (superusers only: it routes citizens' messages)."""

    list_display = ["__str__", "phone_number_id", "unit", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["phone_number_id", "display_number", "unit__name"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "phone_number_id", "display_number", "is_active"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action=AuditAction.WHATSAPP_NUMBER_CHANGED,
            target=obj,
            unit=obj.unit,
            data={"fields": sorted(form.changed_data), "created": not change},
        )


@admin.register(WhatsAppEvent)
class WhatsAppEventAdmin(admin.ModelAdmin):
    """Webhook deliveries as received, for following up a failure (read-only)."""

    list_display = ["received_at", "status", "attempts", "processed_at", "phone_number_ids"]
    list_filter = ["status"]
    date_hierarchy = "received_at"
    readonly_fields = [
        "received_at",
        "phone_number_ids",
        "status",
        "attempts",
        "processed_at",
        "last_error",
        "body",
    ]
    fields = readonly_fields
    actions = ["process_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(description=_("Process again"), permissions=["change"])
    def process_again(self, request, queryset):
        from .whatsapp import process_event

        ids = list(queryset.exclude(status=WhatsAppEventStatus.DONE).values_list("pk", flat=True))
        queryset.filter(pk__in=ids).update(status=WhatsAppEventStatus.PENDING, attempts=0)
        results = [process_event(pk) for pk in ids]
        done = results.count(WhatsAppEventStatus.DONE)
        self.message_user(
            request,
            gettext("%(done)s of %(count)s event(s) processed.")
            % {"done": done, "count": len(ids)},
        )
