"""Who sees what: the one rule in OwnedQuerySet.visible_to, checked on companies."""

import pytest

from crm.models import Company
from tests.factories import make_company


@pytest.fixture
def companies(rep, teammate, other_rep, north, south):
    return {
        "alice": make_company(name="Alice's", owner=rep),
        "bob": make_company(name="Bob's", owner=teammate),
        "north_unowned": make_company(name="North unowned", team=north),
        "charlie": make_company(name="Charlie's", owner=other_rep),
        "south_unowned": make_company(name="South unowned", team=south),
    }


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_rep_sees_own_and_unowned_team_records(companies, rep):
    assert names(Company.objects.visible_to(rep)) == ["Alice's", "North unowned"]


def test_manager_sees_the_managed_team(companies, manager):
    assert names(Company.objects.visible_to(manager)) == ["Alice's", "Bob's", "North unowned"]


def test_admin_sees_everything(companies, admin_user):
    assert Company.objects.visible_to(admin_user).count() == 5


def test_rep_without_team_sees_only_own(companies, db):
    from tests.factories import make_user

    loner = make_user(username="loner")
    make_company(name="Loner's", owner=loner)
    assert names(Company.objects.visible_to(loner)) == ["Loner's"]


def test_inactive_user_sees_nothing(companies, rep):
    rep.is_active = False
    assert names(Company.objects.visible_to(rep)) == []
