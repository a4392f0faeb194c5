from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiToken
from api.services import revoke_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every user's tokens, to see who reaches the API with what, and to revoke any."""

    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at"]
    list_display += ["revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "scope", "created_at", "expires_at"]
    readonly_fields += ["last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a token is made by its user, who alone sees it once

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            revoke_token(token, by=request.user)
        message = ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", len(tokens))
        self.message_user(request, message % {"count": len(tokens)}, messages.SUCCESS)
