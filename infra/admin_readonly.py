"""An admin that shows rows and never writes them."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """History and logs are written by the services only; the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
