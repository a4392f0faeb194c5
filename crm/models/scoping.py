from django.db import models
from django.db.models import Q


class OwnedQuerySet(models.QuerySet):
    """Rows that have an ``owner`` (a user) and a ``team``."""

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
        mine = Q(owner=user)
        if user.is_manager:
            teams = user.managed_teams.values("pk")
            return self.filter(
                mine | Q(owner__team__in=teams) | Q(owner__isnull=True, team__in=teams)
            )
        if user.team_id:
            return self.filter(mine | Q(owner__isnull=True, team_id=user.team_id))
        return self.filter(mine)
