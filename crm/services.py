"""Writes to the shared core records that go beyond one form's save."""

from crm.models import Team, User


def team_for_owner(owner: User | None) -> Team | None:
    """The team a record belongs to follows its owner; a manager without a team of their own
    files records under the team they run."""
    if owner is None:
        return None
    return owner.team or owner.managed_teams.order_by("pk").first()
