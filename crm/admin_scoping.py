"""What a staff user may pick in the admin's foreign keys: what the app lets them pick.

An autocomplete or raw-id widget only decides what is offered; the form field's queryset decides
what is accepted. Without it a forged id (another team's company, a user outside the team)
would be saved, so every admin of an owned record narrows its foreign keys here.
"""

from django.contrib import admin
from django.db import transaction
from django.db.models import ForeignKey, QuerySet

from crm.admin_versions import VersionedAdmin
from crm.filters import teams_for
from crm.models import Team, User
from crm.trash import is_trashable, trash_record
from infra.admin_figures import RetiresFigures


def scoped_choices(db_field: ForeignKey, user: User) -> QuerySet | None:
    """The rows ``user`` may choose for ``db_field``; None for shared reference data."""
    model = db_field.related_model
    if model is User:
        return User.objects.assignable_by(user)
    if model is Team:
        return teams_for(user)
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    return None


class TeamFilter(admin.RelatedFieldListFilter):
    """The admin's "By team" filter offers the teams the staff user may see, not every team's
    name."""

    def field_choices(self, field, request, model_admin):
        return [(team.pk, str(team)) for team in teams_for(request.user).order_by("name")]


class ScopedAdmin(RetiresFigures, VersionedAdmin, admin.ModelAdmin):
    """Owned records in the admin follow the same rule as the app: a staff manager sees only
    their teams' records (``visible_to``), and may only hand them to their own people. A change
    retires the cached figures the record counts in; one saved from a form loaded before
    someone else's is refused (``VersionedAdmin``).

    The links in ``raw_id_fields`` (and ``searched_links``) search as you type where the
    related model's admin can search, and stay a raw id box otherwise: never a select that
    lists a million rows."""

    searched_links: list[str] = []

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    # A deletion here goes to the trash, as one made on the record's page does (the admin has
    # already refused it when something protected depends on the record).
    def delete_model(self, request, obj):
        if not is_trashable(type(obj)):
            return super().delete_model(request, obj)
        with transaction.atomic():
            trash_record(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        if not is_trashable(queryset.model):
            return super().delete_queryset(request, queryset)
        with transaction.atomic():
            for record in queryset:
                trash_record(record, by=request.user)

    def get_autocomplete_fields(self, request):
        names = [*self.autocomplete_fields]
        for name in [*self.raw_id_fields, *self.searched_links]:
            if name not in names and self.searches(self.model._meta.get_field(name).related_model):
                names.append(name)
        return names

    def searches(self, model) -> bool:
        """Whether the admin of ``model`` can search (which autocomplete needs)."""
        site = self.admin_site
        return site.is_registered(model) and bool(site.get_model_admin(model).search_fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if (choices := scoped_choices(db_field, request.user)) is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedThroughAdmin(admin.ModelAdmin):
    """Rows about an owned record (its history, its conversion) are seen by whoever sees the
    record ``scoped_through`` names."""

    scoped_through: str

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_admin:  # sees every record: no IN over them all
            return queryset
        record = self.model._meta.get_field(self.scoped_through).related_model
        visible = record.objects.visible_to(request.user).values("pk")
        return queryset.filter(**{f"{self.scoped_through}__in": visible})
