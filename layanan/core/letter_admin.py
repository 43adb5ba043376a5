"""The admin of a unit's letter or notice template (``core.letter_models``): scoped to the units
the user may administer, remembering who changed it last, and audited."""

from __future__ import annotations

from django.contrib import admin

from layanan.accounts.admin_access import UnitScopedAdmin

from .audit import audit_log
from .models import AuditAction


class LetterTemplateAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """A unit's letter or notice template: who changed it last (where the template keeps it,
    ``EditedLetterTemplate``), and an audit entry of each save."""

    list_select_related = ["unit"]

    def save_model(self, request, obj, form, change):
        if hasattr(obj, "updated_by_id"):
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action=AuditAction.LETTER_TEMPLATE_CHANGED,
            target=obj,
            unit=obj.unit,
            data={"created": not change, "fields": sorted(form.changed_data)},
        )
