"""The outbox in the admin: where staff see what went out, what is waiting, and what failed."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboxMessage, OutboxStatus
from .services import outbox_cancel, outbox_retry

_STATUS_STYLE = {
    OutboxStatus.PENDING: "background:#fff3cd;color:#664d03",
    OutboxStatus.SENDING: "background:#cfe2ff;color:#084298",
    OutboxStatus.SENT: "background:#d1e7dd;color:#0f5132",
    OutboxStatus.FAILED: "background:#b02a37;color:#fff;font-weight:bold",
    OutboxStatus.CANCELLED: "background:#e2e3e5;color:#41464b",
}


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "recipient",
        "subject_or_body",
        "status_badge",
        "attempts_display",
        "next_attempt_at",
        "sent_at",
        "error_excerpt",
        "case_id",
        "kind",
    ]
    list_display_links = ["created_at", "recipient"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["recipient", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    actions = ["retry_now", "cancel"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "channel",
        "recipient",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "provider_message_id",
        "subject",
        "body",
        "html_body",
        "template_key",
        "context",
        "case_id",
        "kind",
        "dedupe_key",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # messages are written by the services, never by hand

    def has_change_permission(self, request, obj=None):
        # A message is read-only; the change permission only unlocks the actions.
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=_("subject"))
    def subject_or_body(self, obj: OutboxMessage) -> str:
        return Truncator(obj.subject or obj.body).chars(60)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj: OutboxMessage):
        return format_html(
            '<span class="outbox-status outbox-status-{}" style="{};padding:2px 6px;'
            'border-radius:3px;white-space:nowrap">{}</span>',
            obj.status,
            _STATUS_STYLE.get(obj.status, ""),
            obj.get_status_display(),
        )

    @admin.display(description=_("attempts"), ordering="attempts")
    def attempts_display(self, obj: OutboxMessage) -> str:
        return f"{obj.attempts}/{obj.max_attempts}"

    @admin.display(description=_("last error"))
    def error_excerpt(self, obj: OutboxMessage) -> str:
        return Truncator(obj.last_error).chars(120)

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = outbox_retry(message_ids=ids)
        skipped = len(ids) - count
        self.message_user(
            request,
            ngettext(
                "%(count)d message queued to be sent again now.",
                "%(count)d messages queued to be sent again now.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        if skipped > 0:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was skipped: it is being sent or already sent.",
                    "%(count)d messages were skipped: they are being sent or already sent.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Cancel"), permissions=["change"])
    def cancel(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = outbox_cancel(message_ids=ids, by=request.user.get_username())
        skipped = len(ids) - count
        self.message_user(
            request,
            ngettext("%(count)d message cancelled.", "%(count)d messages cancelled.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        if skipped > 0:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message was skipped: only pending or failed messages can be "
                    "cancelled.",
                    "%(count)d messages were skipped: only pending or failed messages can be "
                    "cancelled.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
