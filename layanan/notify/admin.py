"""The outbox in the admin: where staff see what went out, what is waiting, and what failed.

Messages about a confidential or anonymous case are *private*: their recipient, subject (it
carries the tracking code), body, context and error (which may quote the address) are masked
here for everyone, a superuser included, and a search by address does not find them — the
admin is not a way round ``cases/identity.py``, where the unit's complaint officer sees (and is
recorded seeing) a confidential reporter. Their status, attempts and times stay visible, so
delivery problems can still be handled.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q
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


#: What a private message shows instead of its address, text or error.
MASK = _("(hidden: confidential or anonymous case)")


def _private_cases():
    """Cases whose messages are private, for ``Exists(...)`` against ``OutboxMessage.case_id``.
    The outbox has no foreign key to cases (it outlives the apps that write to it)."""
    case_model = apps.get_model("cases", "Case")
    return case_model.objects.filter(Q(is_confidential=True) | Q(is_anonymous=True))


def _masked(field: str):
    def show(self, obj: OutboxMessage):
        return MASK if obj.is_private else getattr(obj, field)

    show.short_description = OutboxMessage._meta.get_field(field).verbose_name
    show.__name__ = f"{field}_shown"
    return show


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "recipient_shown",
        "subject_or_body",
        "status_badge",
        "delivery_status",
        "attempts_display",
        "next_attempt_at",
        "sent_at",
        "error_excerpt",
        "case_id",
        "kind",
    ]
    list_display_links = ["created_at", "recipient_shown"]
    list_filter = ["status", "channel", "kind"]
    # The recipient is searched in get_search_results (never among private messages).
    search_fields = ["subject", "dedupe_key"]
    date_hierarchy = "created_at"
    actions = ["retry_now", "cancel"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "channel",
        "recipient_shown",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error_shown",
        "provider_message_id",
        "sender",
        "delivery_status",
        "delivery_updated_at",
        "subject_shown",
        "body_shown",
        "html_body_shown",
        "template_key",
        "context_shown",
        "case_id",
        "kind",
        "dedupe_key",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    recipient_shown = _masked("recipient")
    subject_shown = _masked("subject")
    body_shown = _masked("body")
    html_body_shown = _masked("html_body")
    context_shown = _masked("context")
    last_error_shown = _masked("last_error")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(is_private=Exists(_private_cases().filter(pk=OuterRef("case_id"))))
        )

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            results = results | queryset.filter(recipient__icontains=term, is_private=False)
        return results, may_have_duplicates

    def has_add_permission(self, request):
        return False  # messages are written by the services, never by hand

    def has_change_permission(self, request, obj=None):
        # A message is read-only; the change permission only unlocks the actions.
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=_("subject"))
    def subject_or_body(self, obj: OutboxMessage) -> str:
        if obj.is_private:
            return MASK
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
        if obj.is_private and obj.last_error:
            return MASK
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
