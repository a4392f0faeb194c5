"""Email templates and the emails sent, in the admin (administrators)."""

from django.contrib import admin

from mail.models import EmailTemplate, OutboundEmail


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "subject", "updated_at"]
    list_filter = ["language"]
    search_fields = ["name", "subject"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """What was sent and how it went; read only, as a log."""

    list_display = ["subject", "sent_by", "status", "created_at", "sent_at"]
    list_filter = ["status"]
    list_select_related = ["sent_by"]
    search_fields = ["subject", "message_id"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # A staff manager sees the emails of the records they see, as in the app.
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
