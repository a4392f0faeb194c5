from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, Q, Subquery


class InSubquery(models.Func):
    """``value IN (subquery)``; on PostgreSQL ``value = ANY(ARRAY(subquery))``, which runs the
    subquery once ahead of the scan, so that the planner can read an index on ``value`` even
    inside an OR (``IN (subquery)`` there makes it filter every row through a subplan)."""

    output_field = models.BooleanField()
    arity = 2

    def _sides(self, compiler):
        value, value_params = compiler.compile(self.source_expressions[0])
        subquery, subquery_params = compiler.compile(self.source_expressions[1])
        return value, subquery, (*value_params, *subquery_params)

    def as_sql(self, compiler, connection, **extra_context):
        value, subquery, params = self._sides(compiler)
        return f"{value} IN {subquery}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        value, subquery, params = self._sides(compiler)
        return f"{value} = ANY(ARRAY{subquery})", params


class OwnedQuerySet(models.QuerySet):
    """Rows that have an ``owner`` (a user) and a ``team``."""

    def of_team(self, team):
        """The records that count for ``team``: its members', and those of no one (or of
        someone in no team, such as a manager who runs it) filed under it. The reports and
        the lists that their figures link to share this rule."""
        return self.filter(Q(owner__team=team) | Q(owner__team__isnull=True, team=team))

    def visible_to(self, user):
        """The one rule of who sees what, shared by every owned record.

        - an admin sees everything;
        - a manager sees records owned by members of the teams they manage, unowned records of
          those teams, and their own;
        - a rep sees records they own and unowned records of their own team.

        Anything else does not exist for that user (views answer 404).
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_admin:
            return self
        return self.filter(seen_by(user))


def seen_by(user, *, through: str = "") -> Q:
    """``visible_to``'s rule for a user who is not an admin, as a condition on the owned rows
    or, with ``through``, on the owned row a foreign key of these rows points at (false where
    it points at none): a query can then test it on each row it reads, by the row's joins,
    instead of first gathering every record the user sees."""
    owner, team = (
        f"{through}__owner" if through else "owner",
        f"{through}__team" if through else "team",
    )
    mine = Q(**{owner: user})
    if user.is_manager:
        # Written without a join to the owner so that PostgreSQL reads the owner and team
        # indexes even inside the OR: the join shape read whole tables at a million rows.
        teams = Subquery(user.managed_teams.order_by().values("pk"))
        members = Subquery(
            get_user_model().objects.filter(team__manager=user).order_by().values("pk")
        )
        return (
            mine
            | Q(InSubquery(F(owner), members))
            | Q(**{f"{owner}__isnull": True}) & Q(InSubquery(F(team), teams))
        )
    if user.team_id:
        return mine | Q(**{f"{owner}__isnull": True, f"{team}_id": user.team_id})
    return mine
