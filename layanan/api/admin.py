from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken
from .services import api_token_audit_created, api_token_revoke, token_assign_key


class TokenStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("revoked", _("Revoked")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created here; the key is shown once, in the message after saving."""

    list_display = ["name", "user", "display_prefix", "state", "created_at", "last_used_at"]
    list_filter = [TokenStateFilter]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username", "user__full_name"]
    autocomplete_fields = ["user", "units"]
    fields = [
        "name",
        "user",
        "units",
        "expires_at",
        "display_prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = [
        "display_prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    @admin.display(description=_("key"))
    def display_prefix(self, obj):
        return obj.display_prefix or "—"

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.is_revoked:
            return _("Revoked")
        if obj.is_expired():
            return _("Expired")
        return _("Active")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("user")  # a token does not change hands
        return fields

    def save_model(self, request, obj, form, change):
        key = None
        if not change:
            key = token_assign_key(obj)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if key:
            api_token_audit_created(
                actor=request.user, token=obj, units=form.cleaned_data.get("units") or ()
            )
            messages.warning(
                request,
                _(
                    "The key of “%(name)s” is %(key)s — copy it now: it is not stored and will not "
                    "be shown again."
                )
                % {"name": obj.name, "key": key},
            )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
