from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from crm.admin_reference import ReferenceItemAdmin
from crm.admin_scoping import ScopedAdmin, ScopedThroughAdmin, TeamFilter
from infra.admin_figures import RetiresFigures
from infra.admin_readonly import ReadOnlyAdmin
from opportunities.models import LostReason, Opportunity, OpportunityChange, Pipeline, Stage


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    ordering = ["order", "pk"]
    fields = ["order", "name", "probability", "forecast_category", "stale_after_days"]


@admin.register(Pipeline)
class PipelineAdmin(RetiresFigures, admin.ModelAdmin):
    list_display = ["name", "is_default", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(RetiresFigures, admin.ModelAdmin):
    list_display = [
        "name",
        "pipeline",
        "order",
        "probability",
        "forecast_category",
        "stale_after_days",
    ]
    list_filter = ["pipeline", "forecast_category"]
    list_select_related = ["pipeline"]
    ordering = ["pipeline", "order"]
    search_fields = ["name", "pipeline__name"]


admin.site.register(LostReason, ReferenceItemAdmin)


class OpportunityChangeInline(admin.TabularInline):
    model = OpportunityChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "field", "old_value", "new_value"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Opportunity)
class OpportunityAdmin(ScopedAdmin):
    list_display = [
        "name",
        "company",
        "pipeline",
        "stage",
        "status",
        "amount",
        "currency",
        "probability",
        "expected_close_date",
        "owner",
        "team",
    ]
    list_filter = ["status", "pipeline", "stage", ("team", TeamFilter), "currency"]
    list_select_related = ["company", "pipeline", "stage", "owner", "team"]
    search_fields = ["name", "company__name"]
    raw_id_fields = ["company", "contact", "owner", "lead"]
    date_hierarchy = "expected_close_date"
    # Won, lost and reopened only through the app, which closes a deal whole (status, close
    # date, probability, reason) and records it: a status set here alone left a "won" deal
    # without a close date, which no report counted.
    readonly_fields = [
        "status",
        "closed_date",
        "lost_reason",
        "competitor",
        "version",
        "created_at",
        "updated_at",
    ]
    inlines = [OpportunityChangeInline]
    show_full_result_count = False


@admin.register(OpportunityChange)
class OpportunityChangeAdmin(ScopedThroughAdmin, ReadOnlyAdmin):
    """History is written by the transitions only: read-only here."""

    list_display = ["opportunity", "field", "old_value", "new_value", "changed_by", "changed_at"]
    list_filter = ["field", "changed_at"]
    list_select_related = ["opportunity", "changed_by"]
    search_fields = ["opportunity__name"]
    # Newest first by the primary key (rows are written in time order): sorting a million
    # rows by their timestamp took most of a second, and so did the list of years of a date
    # hierarchy; the date filter does without either.
    ordering = ["-pk"]
    show_full_result_count = False
    scoped_through = "opportunity"

    @admin.display(description=_("field"))
    def field_name(self, obj):
        return obj.get_field_display()
