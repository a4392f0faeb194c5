from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms import ModelForm
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from crm import admin_security  # noqa: F401  (the security log's admin)
from crm.admin_phones import PhoneAdmin
from crm.admin_scoping import ScopedAdmin, TeamFilter
from crm.filters import teams_for
from crm.models import Company, Contact, ExchangeRate, Team, User
from crm.security_log import Kind, record
from crm.security_receivers import rights_recorded_elsewhere
from infra.admin_figures import RetiresFigures

# What only a superuser may change on a user: who they are in the app and what they may do.
PRIVILEGED_USER_FIELDS = ["role", "is_superuser", "is_staff", "groups", "user_permissions"]
# What the security log records when the admin changes it on a user.
RIGHTS_FIELDS = ["role", "team", "is_active", *PRIVILEGED_USER_FIELDS]


def _logged(value):
    """A form value as the security log keeps it: ids for rows, else the value."""
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return sorted(_logged(item) for item in value)
    return value


@admin.register(User)
class UserAdmin(RetiresFigures, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "role", "team", "is_active"]
    list_filter = ["role", ("team", TeamFilter), "is_active", "is_staff", "language"]
    list_select_related = ["team"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["team"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Sales"), {"fields": ["role", "team", "language"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Sales"), {"fields": ["first_name", "last_name", "email", "role", "team"]}),
    ]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        # A superuser's account (and so its password) is out of reach of everyone else.
        users = users.exclude(is_superuser=True)
        if request.user.is_admin:
            return users
        return users.filter(pk__in=User.objects.assignable_by(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Staff who may edit users must not raise anyone's rights, their own included.
            fields += PRIVILEGED_USER_FIELDS
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team":
            kwargs["queryset"] = teams_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # saved, not refused
            record(Kind.PASSWORD_CHANGED, request=request, target=self.get_object(request, id))
        return response

    def save_related(self, request, form, formsets, change):
        # The user's groups and permissions are saved here: one event for the whole save.
        with rights_recorded_elsewhere():
            super().save_related(request, form, formsets, change)
        changed = [name for name in RIGHTS_FIELDS if name in form.changed_data]
        if changed:
            record(
                Kind.RIGHTS_CHANGED,
                request=request,
                target=form.instance,
                created=not change,
                changes={
                    name: [_logged(form.initial.get(name)), _logged(form.cleaned_data[name])]
                    for name in changed
                },
            )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Else a group's permissions would grant its members (maybe the editor) anything.
            fields.append("permissions")
        return fields


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """A task's arguments, result and traceback may hold any team's data: superusers only."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


class MemberInline(admin.TabularInline):
    model = User
    fk_name = "team"
    fields = ["username", "first_name", "last_name", "role", "is_active"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("member")
    verbose_name_plural = _("members")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(RetiresFigures, admin.ModelAdmin):
    list_display = ["name", "manager", "member_count"]
    list_select_related = ["manager"]
    search_fields = ["name"]
    autocomplete_fields = ["manager"]
    inlines = [MemberInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "manager":
            kwargs["queryset"] = User.objects.assignable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            teams_for(request.user)
            .select_related("manager")
            .annotate(member_count=Count("members"))
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, team):
        return team.member_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "manager" in form.changed_data:  # who sees the team's records changes with it
            record(
                Kind.RIGHTS_CHANGED,
                request=request,
                target=obj,
                changes={"manager": [form.initial.get("manager"), obj.manager_id]},
            )


class ContactInline(PhoneAdmin, admin.TabularInline):
    model = Contact
    fields = ["first_name", "last_name", "job_title", "email", "shown_phone", "owner"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("owner")


@admin.register(Company)
class CompanyAdmin(PhoneAdmin, ScopedAdmin):
    list_display = [
        "name",
        "industry",
        "email_domain",
        "shown_phone",
        "owner",
        "team",
        "created_at",
    ]
    list_filter = ["industry", ("team", TeamFilter), "created_at"]
    list_select_related = ["owner", "team"]
    search_fields = ["name", "email_domain", "website", "phone"]
    autocomplete_fields = ["owner", "team"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "industry", "website", "email_domain", "phone", "address"]}),
        (_("Ownership"), {"fields": ["owner", "team"]}),
        (_("Notes"), {"fields": ["notes", "created_at", "updated_at"]}),
    ]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(PhoneAdmin, ScopedAdmin):
    list_display = [
        "__str__",
        "job_title",
        "company",
        "email",
        "shown_phone",
        "owner",
        "created_at",
    ]
    list_filter = [("team", TeamFilter), "created_at"]
    list_select_related = ["company", "owner"]
    search_fields = ["first_name", "last_name", "email", "phone", "company__name"]
    autocomplete_fields = ["company", "owner", "team"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "job_title", "company", "email", "phone"]}),
        (_("Ownership"), {"fields": ["owner", "team"]}),
        (_("Notes"), {"fields": ["notes", "created_at", "updated_at"]}),
    ]


class ExchangeRateForm(ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "rate", "valid_from"]

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if currency == settings.BASE_CURRENCY:
            raise ValidationError(
                _("%(currency)s is the base currency: its rate is always 1."),
                params={"currency": currency},
            )
        if currency not in settings.CURRENCIES:
            raise ValidationError(
                _("Unknown currency. Use one of: %(currencies)s."),
                params={"currencies": ", ".join(settings.CURRENCIES)},
            )
        return currency


@admin.register(ExchangeRate)
class ExchangeRateAdmin(RetiresFigures, admin.ModelAdmin):
    """Every amount in the reports is converted at these rates."""

    form = ExchangeRateForm
    list_display = ["currency", "rate", "valid_from"]
    list_filter = ["currency"]
    date_hierarchy = "valid_from"
    ordering = ["currency", "-valid_from"]
