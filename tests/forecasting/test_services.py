import datetime
from decimal import Decimal

import pytest

from forecasting.models import Period, Quota
from forecasting.services import QuotaError, remove_quota, set_quota

JUNE_15 = datetime.date(2026, 6, 15)


def test_set_quota_starts_it_on_the_first_day_and_replaces_the_last(manager, rep):
    set_quota(by=manager, owner=rep, period=Period.MONTH, start=JUNE_15, amount=Decimal("100"))
    quota = set_quota(
        by=manager, owner=rep, period=Period.MONTH, start=JUNE_15, amount=Decimal("200"), deals=2
    )

    assert list(Quota.objects.values_list("pk", "start", "amount", "deals")) == [
        (quota.pk, datetime.date(2026, 6, 1), Decimal("200.00"), 2)
    ]


@pytest.mark.parametrize("whose", ["other_rep", "south", "teammate_as_rep"])
def test_nobody_sets_a_quota_outside_their_teams(manager, rep, teammate, other_rep, south, whose):
    by, target = manager, {"owner": other_rep}
    if whose == "south":
        target = {"team": south}
    if whose == "teammate_as_rep":
        by, target = rep, {"owner": teammate}

    with pytest.raises(QuotaError):
        set_quota(by=by, period=Period.MONTH, start=JUNE_15, amount=Decimal("1"), **target)

    assert not Quota.objects.exists()


def test_a_quota_is_for_a_rep_or_a_team(manager, rep, north):
    with pytest.raises(QuotaError):
        set_quota(by=manager, period=Period.MONTH, start=JUNE_15, amount=Decimal("1"))
    with pytest.raises(QuotaError):
        set_quota(by=manager, owner=rep, team=north, period=Period.MONTH, start=JUNE_15, amount=1)


def test_admin_sets_any_team_s_quota_and_removes_it(admin_user, south):
    quota = set_quota(by=admin_user, team=south, period=Period.QUARTER, start=JUNE_15, amount=9)

    assert quota.start == datetime.date(2026, 4, 1)
    remove_quota(quota, by=admin_user)
    assert not Quota.objects.exists()


def test_a_manager_cannot_remove_another_team_s_quota(
    admin_user, south_manager, manager, other_rep
):
    quota = set_quota(
        by=south_manager, owner=other_rep, period=Period.MONTH, start=JUNE_15, amount=5
    )

    with pytest.raises(QuotaError):
        remove_quota(quota, by=manager)

    assert Quota.objects.count() == 1
