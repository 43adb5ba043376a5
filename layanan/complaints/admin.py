from django.contrib import admin

from layanan.accounts.admin_access import UnitScopedAdmin
from layanan.core.audit import audit_log
from layanan.core.models import AuditAction

from .models import AnswerLetterTemplate


@admin.register(AnswerLetterTemplate)
class AnswerLetterTemplateAdmin(UnitScopedAdmin, admin.ModelAdmin):
    """How the unit numbers and signs the answer letters of written complaints. ``clean()``
    refuses number patterns without {seq} and {year} (they could repeat a number)."""

    list_display = ["unit", "number_pattern", "subject", "signatory_title", "updated_at"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = [
        "unit",
        "number_pattern",
        "seq_digits",
        "city",
        "subject",
        "signatory_title",
        "signatory_name",
        "signatory_nip",
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action=AuditAction.LETTER_TEMPLATE_CHANGED,
            target=obj,
            unit=obj.unit,
            data={"created": not change, "fields": sorted(form.changed_data)},
        )
