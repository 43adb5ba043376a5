from django.contrib import admin

from .models import SkmFollowUp


@admin.register(SkmFollowUp)
class SkmFollowUpAdmin(admin.ModelAdmin):
    list_display = ("unit", "start", "end", "by", "at")
    list_filter = ("unit",)
    search_fields = ("text",)
    readonly_fields = ("by", "at")
