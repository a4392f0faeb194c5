from django.contrib import admin

from infra.admin_figures import RetiresFigures


class ReferenceItemAdmin(RetiresFigures, admin.ModelAdmin):
    """The admin of a ``crm.models.reference.ReferenceItem`` list. The reports group by these
    entries: a change retires the cached figures."""

    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
