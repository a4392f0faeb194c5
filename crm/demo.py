"""Demo people for a fresh install. Idempotent: running it again changes nothing."""

from dataclasses import dataclass

from crm.models import Team, User

DEMO_PASSWORD = "demo-pass-2026"


@dataclass
class DemoPeople:
    admin: User
    manager: User
    reps: list[User]
    team: Team


def _user(username: str, first: str, last: str, **fields) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.com",
            **fields,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_people() -> DemoPeople:
    admin = _user("admin", "Ada", "Admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    manager = _user("manager", "Maria", "Santos", role=User.Role.MANAGER, is_staff=True)
    team, _ = Team.objects.get_or_create(name="Iberia", defaults={"manager": manager})
    reps = [
        _user("alice", "Alice", "Moreno", team=team),
        _user("bruno", "Bruno", "Keller", team=team),
    ]
    return DemoPeople(admin=admin, manager=manager, reps=reps, team=team)


def seed_records(people: DemoPeople) -> None:
    """Companies and contacts that look real."""
