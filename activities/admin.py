"""Admin for activities."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import SUBJECT_FIELDS, Activity
from crm.admin_scoping import ScopedAdmin, TeamFilter


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
class ActivityAdmin(ScopedAdmin):
    list_display = ["subject", "kind", "about", "owner", "due_date", "due_time", "done_at"]
    list_filter = [StateFilter, "kind", AboutFilter, ("team", TeamFilter), "due_date"]
    search_fields = ["subject", "notes", "outcome", "owner__username", "owner__last_name"]
    # Newest first by the primary key, no date hierarchy (the "due date" filter does its work)
    # and no count of every row: over a million activities, sorting them by due date took
    # half a second of every list.
    ordering = ["-pk"]
    show_full_result_count = False
    list_select_related = ["owner", *SUBJECT_FIELDS]
    readonly_fields = ["created_at", "updated_at", "done_by", "reminded_at"]
    raw_id_fields = ["owner", *SUBJECT_FIELDS]
    fieldsets = [
        (None, {"fields": ["kind", "subject", "notes"]}),
        (
            _("When"),
            {
                "fields": [
                    "due_date",
                    "due_time",
                    "duration",
                    "remind_minutes_before",
                    "reminded_at",
                    "done_at",
                    "done_by",
                    "outcome",
                ]
            },
        ),
        (_("About"), {"fields": list(SUBJECT_FIELDS)}),
        (_("Ownership"), {"fields": ["owner", "team", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Moved to another day or time: its reminder is sent again, from the new time. (The
        # save above writes only the fields the form edited.)
        moved = {"due_date", "due_time", "remind_minutes_before"} & set(form.changed_data)
        if change and moved and obj.reminded_at is not None:
            obj.reminded_at = None
            Activity.objects.filter(pk=obj.pk).update(reminded_at=None)

    @admin.display(description=_("about"))
    def about(self, activity: Activity):
        return activity.record
