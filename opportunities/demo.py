"""Demo records for a fresh install. Idempotent: running it again changes nothing."""

from crm.demo import DemoPeople


def seed(people: DemoPeople) -> None:
    pass
