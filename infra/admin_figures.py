"""Changes made in the admin retire the cached figures, as the app's own services do."""

from infra.report_cache import figures_changed


class RetiresFigures:
    """For the admin of a model that the reports, the board totals or My day count (or that
    decides who sees what): saving, deleting one or deleting many retires everyone's cached
    figures once the change commits (see ``infra.report_cache``), so that the next page shows it:
    an edit here may move a record between teams or change who runs one."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        figures_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        figures_changed()  # inlines and many-to-many fields count too

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        figures_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        figures_changed()
