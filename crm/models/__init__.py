from crm.models.companies import Company, Contact
from crm.models.currency import ExchangeRate
from crm.models.people import Team, User
from crm.models.scoping import OwnedQuerySet
from crm.models.security import SecurityEvent
from crm.models.trash import LiveManager, TrashBatch

__all__ = [
    "Company",
    "Contact",
    "ExchangeRate",
    "LiveManager",
    "OwnedQuerySet",
    "SecurityEvent",
    "Team",
    "TrashBatch",
    "User",
]
