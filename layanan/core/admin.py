from django.contrib import admin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "slug", "code", "kind", "phone", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    @admin.display(description="name", ordering="path")
    def indented_name(self, obj):
        depth = max(obj.path.count("/") - 1, 0)
        return "— " * depth + obj.name
