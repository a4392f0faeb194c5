from django.contrib import admin

from merging.models import MergedRecord


@admin.register(MergedRecord)
class MergedRecordAdmin(admin.ModelAdmin):
    """The record of every merge: written by the merge itself, never by hand."""

    list_display = ["model", "name", "old_pk", "survivor_pk", "merged_by", "merged_at"]
    list_filter = ["model"]
    search_fields = ["name"]
    date_hierarchy = "merged_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
