from django.contrib import admin

from crm.admin_phones import PhoneAdmin
from crm.admin_reference import ReferenceItemAdmin
from crm.admin_scoping import ScopedAdmin, ScopedThroughAdmin, TeamFilter
from infra.admin_readonly import ReadOnlyAdmin
from leads.models import (
    DisqualifyReason,
    Lead,
    LeadConversion,
    LeadImport,
    LeadSource,
    LeadStatusChange,
    WebSubmission,
)


@admin.register(LeadSource)
class LeadSourceAdmin(ReferenceItemAdmin):
    list_display = ["name", "code", "is_active"]
    search_fields = ["name", "code"]


admin.site.register(DisqualifyReason, ReferenceItemAdmin)


class LeadStatusChangeInline(admin.TabularInline):
    model = LeadStatusChange
    fields = ["changed_at", "from_status", "to_status", "note", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(PhoneAdmin, ScopedAdmin):
    list_display = [
        "__str__",
        "company_name",
        "email",
        "shown_phone",
        "source",
        "status",
        "owner",
        "team",
        "created_at",
    ]
    list_filter = ["status", "source", ("team", TeamFilter), "created_at"]
    search_fields = ["first_name", "last_name", "company_name", "email", "phone"]
    list_select_related = ["source", "owner", "team"]
    raw_id_fields = ["owner", "team"]
    searched_links = ["source", "disqualify_reason"]
    readonly_fields = ["status", "created_at", "updated_at"]
    # No date hierarchy and no count of every lead: at a million leads, each took a few hundred
    # milliseconds of every list (the "created" filter does the hierarchy's work).
    show_full_result_count = False
    inlines = [LeadStatusChangeInline]


@admin.register(LeadStatusChange)
class LeadStatusChangeAdmin(ScopedThroughAdmin, ReadOnlyAdmin):
    list_display = ["lead", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status", "changed_at"]
    list_select_related = ["lead", "changed_by"]
    search_fields = ["lead__first_name", "lead__last_name", "lead__email", "note"]
    # Newest first by the primary key (rows are written in time order), and no count of
    # every row: a million of them (see OpportunityChangeAdmin).
    ordering = ["-pk"]
    show_full_result_count = False
    scoped_through = "lead"


@admin.register(LeadConversion)
class LeadConversionAdmin(ScopedThroughAdmin, ReadOnlyAdmin):
    list_display = ["lead", "contact", "company", "opportunity", "converted_by", "converted_at"]
    list_select_related = ["lead", "contact", "company", "opportunity", "converted_by"]
    search_fields = ["lead__last_name", "contact__last_name", "company__name"]
    scoped_through = "lead"


@admin.register(LeadImport)
class LeadImportAdmin(ReadOnlyAdmin):
    list_display = [
        "file_name",
        "created_by",
        "status",
        "total",
        "imported",
        "rejected",
        "created_at",
    ]
    list_filter = ["status"]
    exclude = ["content", "rejected_csv"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(WebSubmission)
class WebSubmissionAdmin(ReadOnlyAdmin):
    """Held web-form messages are released or purged from the app, where the lead is made."""

    list_display = ["name", "email", "phone", "reason", "address", "status", "team", "received_at"]
    list_filter = ["reason", "status"]
    list_select_related = ["team"]
    search_fields = ["name", "email", "phone", "company", "address"]
    ordering = ["-received_at", "-pk"]
    raw_id_fields = ["team", "reviewed_by", "lead"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
