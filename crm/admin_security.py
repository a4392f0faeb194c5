"""The security event log in the admin: for admins only, read only, filtered and searched."""

from django.contrib import admin

from crm.models import SecurityEvent
from infra.admin_readonly import ReadOnlyAdmin


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind",
        "actor",
        "username",
        "ip_address",
        "target_type",
        "target_text",
        "request_id",
    ]
    list_filter = ["kind", "created_at", "actor"]
    list_select_related = ["actor", "target_type"]
    search_fields = ["username", "ip_address", "actor__username", "target_text"]
    # A year of events: no second count of the whole table on each page.
    show_full_result_count = False
    fields = [
        "created_at",
        "kind",
        "actor",
        "username",
        "ip_address",
        "target_type",
        "target_id",
        "target_text",
        "details",
        "request_id",
    ]
    readonly_fields = fields

    def _for_admins(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.is_admin

    def has_module_permission(self, request):
        return self._for_admins(request)

    def has_view_permission(self, request, obj=None):
        return self._for_admins(request)
