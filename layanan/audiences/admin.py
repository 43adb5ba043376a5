"""Admin: the units' reply letter templates are edited here; audience requests are read-only
(each step goes through the staff pages and the services, which record who did it and when)."""

from django.contrib import admin

from layanan.core.letter_admin import LetterTemplateAdmin
from layanan.core.read_only_admin import ReadOnlyAdmin

from .models import AudienceDetail, ReplyLetterTemplate


@admin.register(ReplyLetterTemplate)
class ReplyLetterTemplateAdmin(LetterTemplateAdmin):
    """The unit's reply letter for audience requests. ``clean()`` refuses unknown placeholders
    and number patterns without {seq} and {year} (see letters.py)."""

    list_display = ["unit", "number_pattern", "subject", "signatory_title", "updated_at"]
    fields = [
        "unit",
        "number_pattern",
        "seq_digits",
        "city",
        "subject",
        "body",
        "signatory_title",
        "signatory_name",
        "signatory_nip",
    ]


@admin.register(AudienceDetail)
class AudienceDetailAdmin(ReadOnlyAdmin):
    list_display = ["case", "organisation", "preferred_date_1", "reply_number", "reply_date"]
    search_fields = ["case__number", "organisation", "topic", "reply_number"]
    list_select_related = ["case"]
