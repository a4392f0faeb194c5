from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "target_type", "target_id", "url", "params", "created_at"]
    search_fields = ["user__username"]
