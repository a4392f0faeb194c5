"""Admin for activities. Imported by crm/admin.py (``from crm import admin_activities``)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import SUBJECT_FIELDS, Activity
from crm.admin_scoping import scoped_choices
from crm.admin_versions import VersionedAdmin
from infra.admin_figures import RetiresFigures


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("To do")),
            ("overdue", _("Overdue")),
            ("done", _("Done")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.pending()
        if self.value() == "overdue":
            return queryset.overdue(timezone.localdate())
        if self.value() == "done":
            return queryset.done()
        return queryset


class AboutFilter(admin.SimpleListFilter):
    title = _("about")
    parameter_name = "about"

    def lookups(self, request, model_admin):
        return [
            (field, Activity._meta.get_field(field).related_model._meta.verbose_name)
            for field in SUBJECT_FIELDS
        ]

    def queryset(self, request, queryset):
        if self.value() in SUBJECT_FIELDS:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


@admin.register(Activity)
class ActivityAdmin(RetiresFigures, VersionedAdmin, admin.ModelAdmin):
    list_display = ["subject", "kind", "about", "owner", "due_date", "due_time", "done_at"]
    list_filter = [StateFilter, "kind", AboutFilter, "team", "due_date"]
    search_fields = ["subject", "notes", "outcome", "owner__username", "owner__last_name"]
    # Newest first by the primary key, no date hierarchy (the "due date" filter does its work)
    # and no count of every row: over a million activities, sorting them by due date took
    # half a second of every list.
    ordering = ["-pk"]
    show_full_result_count = False
    list_select_related = ["owner", *SUBJECT_FIELDS]
    readonly_fields = ["created_at", "updated_at", "done_by"]
    # Autocomplete where the related admin offers it (see get_autocomplete_fields); a raw id
    # box otherwise, never a select listing every lead.
    raw_id_fields = ["owner", *SUBJECT_FIELDS]
    fieldsets = [
        (None, {"fields": ["kind", "subject", "notes"]}),
        (_("When"), {"fields": ["due_date", "due_time", "done_at", "done_by", "outcome"]}),
        (_("About"), {"fields": list(SUBJECT_FIELDS)}),
        (_("Ownership"), {"fields": ["owner", "team", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("about"))
    def about(self, activity: Activity):
        return activity.record

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_autocomplete_fields(self, request):
        fields = []
        for name in ["owner", *SUBJECT_FIELDS]:
            related = Activity._meta.get_field(name).related_model
            related_admin = self.admin_site._registry.get(related)
            if related_admin is not None and related_admin.search_fields:
                fields.append(name)
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only records, people and teams the admin user may see can be chosen.
        if (choices := scoped_choices(db_field, request.user)) is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
