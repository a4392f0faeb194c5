from crm.models.companies import Company, Contact
from crm.models.people import Team, User
from crm.models.scoping import OwnedQuerySet

__all__ = ["Company", "Contact", "OwnedQuerySet", "Team", "User"]
