from django.contrib import admin

from layanan.core.letter_admin import LetterTemplateAdmin

from .models import AnswerLetterTemplate


@admin.register(AnswerLetterTemplate)
class AnswerLetterTemplateAdmin(LetterTemplateAdmin):
    """How the unit numbers and signs the answer letters of written complaints. ``clean()``
    refuses number patterns without {seq} and {year} (they could repeat a number)."""

    list_display = ["unit", "number_pattern", "subject", "signatory_title", "updated_at"]
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
