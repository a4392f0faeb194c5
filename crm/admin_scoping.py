"""What a staff user may pick in the admin's foreign keys: what the app lets them pick.

An autocomplete or raw-id widget only decides what is offered; the form field's queryset decides
what is accepted. Without it a forged id (another team's company, a user outside the team)
would be saved, so every admin of an owned record narrows its foreign keys here.
"""

from django.db.models import ForeignKey, QuerySet

from crm.filters import teams_for
from crm.models import Team, User


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
