from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from layanan.core.audit import audit_log
from layanan.core.models import AuditAction, Unit
from layanan.core.read_only_admin import ReadOnlyAdmin

from .admin_access import UnitScopedAdmin
from .models import LoginRecord, Membership, User


def _role_data(membership: Membership, **extra) -> dict:
    return {
        "member": membership.user.get_username(),
        "role": membership.role,
        "unit_slug": membership.unit.slug,
        **extra,
    }


def audit_membership_saved(*, actor, membership: Membership, form, change: bool) -> None:
    """The audit entry of a role given or changed in the admin (whose, which role, where, and
    what it was before)."""
    if not change:
        audit_log(
            actor=actor,
            action=AuditAction.MEMBERSHIP_ADDED,
            target=membership,
            data=_role_data(membership),
        )
        return
    if not form.has_changed():
        return
    before = {}
    if "role" in form.changed_data:
        before["old_role"] = form.initial.get("role")
    if "unit" in form.changed_data:
        old_unit = Unit.objects.filter(pk=form.initial.get("unit")).first()
        before["old_unit_slug"] = old_unit.slug if old_unit else None
    audit_log(
        actor=actor,
        action=AuditAction.MEMBERSHIP_CHANGED,
        target=membership,
        data=_role_data(membership, changed=sorted(form.changed_data), **before),
    )


def audit_membership_removed(*, actor, membership: Membership) -> None:
    audit_log(
        actor=actor,
        action=AuditAction.MEMBERSHIP_REMOVED,
        target=membership,
        unit=membership.unit,
        data=_role_data(membership),
    )


class MembershipInline(UnitScopedAdmin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(UnitScopedAdmin, BaseUserAdmin):
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        # The forms' initial values are the roles before this save.
        changed = [f for f in formset.forms if f.instance.pk and f.has_changed()]
        removed = [f.instance for f in formset.deleted_forms if f.instance.pk]
        removed_pks = {m.pk for m in removed}
        for membership in removed:  # the entry is written before the row goes
            audit_membership_removed(actor=request.user, membership=membership)
        super().save_formset(request, form, formset, change)
        for membership in formset.new_objects:
            audit_membership_saved(
                actor=request.user, membership=membership, form=None, change=False
            )
        for inline_form in changed:
            if inline_form.instance.pk not in removed_pks:
                audit_membership_saved(
                    actor=request.user,
                    membership=inline_form.instance,
                    form=inline_form,
                    change=True,
                )

    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email", "nip"]

    #: What only a superuser may set: superuser status and Django's own permission tables.
    SUPERUSER_FIELDS = ("is_superuser", "groups", "user_permissions")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:  # a unit's administrator never edits a superuser
            queryset = queryset.exclude(is_superuser=True)
        return queryset

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in self.SUPERUSER_FIELDS],
                },
            )
            for name, options in fieldsets
        ]

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Layanan"), {"fields": ("full_name", "nip", "phone")}),
    )


@admin.register(Membership)
class MembershipAdmin(UnitScopedAdmin, admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_membership_saved(actor=request.user, membership=obj, form=form, change=change)

    def delete_model(self, request, obj):
        audit_membership_removed(actor=request.user, membership=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "unit"):
            audit_membership_removed(actor=request.user, membership=membership)
        super().delete_queryset(request, queryset)


@admin.register(LoginRecord)
class LoginRecordAdmin(ReadOnlyAdmin):
    """The login log: read-only, for auditors and administrators."""

    list_display = ["at", "username", "success", "ip_address", "user_agent"]
    list_filter = ["success", "at"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["user"]
