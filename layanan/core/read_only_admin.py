"""An admin page that only shows: records written by the services (bookings, audit entries,
calendar recomputations) are read in the admin, never added, changed or deleted there — the
services record who did what and when."""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model admin with no add, change or delete (the view permission still applies)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
