"""Quotas in the admin, seen and picked as in the app: a staff manager sees those of the teams
they run (``Quota.objects.visible_to``) and picks only their own people and teams."""

from django.contrib import admin

from crm.admin_scoping import TeamFilter, scoped_choices
from forecasting.models import Quota
from infra.admin_figures import RetiresFigures


@admin.register(Quota)
class QuotaAdmin(RetiresFigures, admin.ModelAdmin):
    list_display = ["__str__", "owner", "team", "period", "start", "amount", "deals", "activities"]
    list_filter = ["period", ("team", TeamFilter), "start"]
    list_select_related = ["owner", "team"]
    search_fields = ["owner__username", "owner__last_name", "team__name"]
    readonly_fields = ["set_by", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if (choices := scoped_choices(db_field, request.user)) is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)
