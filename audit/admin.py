"""Every recorded field change in the admin: for admins only, read only, filtered by kind of
record, channel, user and date, and searched by record id or field."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.models import FieldChange
from infra.admin_readonly import ReadOnlyAdmin


@admin.register(FieldChange)
class FieldChangeAdmin(ReadOnlyAdmin):
    list_display = [
        "changed_at",
        "content_type",
        "record",
        "field",
        "old_value_shown",
        "new_value_shown",
        "changed_by",
        "channel",
    ]
    list_filter = ["content_type", "channel", "changed_at", "changed_by"]
    list_select_related = ["content_type", "changed_by"]
    search_fields = ["=object_id", "field"]
    show_full_result_count = False
    fields = [
        "changed_at",
        "content_type",
        "object_id",
        "field",
        "old_value",
        "new_value",
        "changed_by",
        "channel",
    ]
    readonly_fields = fields

    @admin.display(description=_("record"))
    def record(self, change):
        model = change.content_type.model_class()
        url = getattr(model(pk=change.object_id), "get_absolute_url", None) if model else None
        return (
            format_html('<a href="{}">#{}</a>', url(), change.object_id)
            if url
            else change.object_id
        )

    @admin.display(description=_("old value"))
    def old_value_shown(self, change):
        return change.old_display[:200]

    @admin.display(description=_("new value"))
    def new_value_shown(self, change):
        return change.new_display[:200]

    def _for_admins(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and getattr(user, "is_admin", False)

    def has_module_permission(self, request):
        return self._for_admins(request)

    def has_view_permission(self, request, obj=None):
        return self._for_admins(request)
