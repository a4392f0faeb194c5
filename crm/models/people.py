from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from infra.fields import optional_foreign_key


class TeamQuerySet(models.QuerySet):
    def run_by(self, user):
        """The teams whose members ``user`` may change: every team for an admin, the teams a
        manager runs, none for anyone else."""
        if user.is_admin:
            return self.all()
        if user.is_manager:
            return self.filter(manager=user)
        return self.none()


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    manager = optional_foreign_key(
        settings.AUTH_USER_MODEL, verbose_name=_("manager"), related_name="managed_teams"
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def assignable_by(self, user):
        """Whom ``user`` may hand a record to: themselves, their team, or the teams they run."""
        if user.is_admin:
            return self.active()
        teams = models.Q(pk=user.pk)
        if user.is_manager:
            teams |= models.Q(team__in=user.managed_teams.values("pk"))
        elif user.team_id:
            teams |= models.Q(team_id=user.team_id)
        return self.active().filter(teams)

    def without_team(self):
        """Active reps and managers who are in no team: whom a team may take in. Admins see
        every team's records and belong to none."""
        return self.active().filter(
            team__isnull=True, is_superuser=False, role__in=[User.Role.REP, User.Role.MANAGER]
        )

    def owners_seen_by(self, user):
        """Whose records ``user`` sees (``OwnedQuerySet.visible_to``), for an owner filter: a
        rep sees no teammate's records, so only themselves; managers and admins, whom they
        may hand records to."""
        if user.is_admin or user.is_manager:
            return self.assignable_by(user)
        return self.active().filter(pk=user.pk)


class CrmUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    class Role(models.TextChoices):
        REP = "rep", _("Sales rep")
        MANAGER = "manager", _("Sales manager")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.REP)
    team = optional_foreign_key(Team, verbose_name=_("team"), related_name="members")
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to follow the browser."),
    )

    objects = CrmUserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def initials(self) -> str:
        """Two letters where a name has no room (a board card): "AR" for Alice Rep."""
        letters = "".join(part[:1] for part in (self.first_name, self.last_name) if part)
        return (letters or self.username[:2]).upper()

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER
