import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from forecasting.models import Period, Quota, pace, period_of

JUNE = (datetime.date(2026, 6, 1), datetime.date(2026, 6, 30))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 5, 31), 0),  # before the period
        (datetime.date(2026, 6, 1), 1 / 30),  # its first day counts as gone by
        (datetime.date(2026, 6, 10), 10 / 30),
        (datetime.date(2026, 6, 30), 1),
        (datetime.date(2026, 7, 15), 1),  # after it
    ],
)
def test_pace_is_the_share_of_the_period_gone_by_today_included(today, expected):
    assert pace(*JUNE, today) == expected


def test_pace_of_a_quarter_counts_its_days():
    # Q3 2026: July 31 + August 31 + September 30 = 92 days; 15 August is its 46th.
    assert (
        pace(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), datetime.date(2026, 8, 15))
        == 46 / 92
    )


def test_period_of_names_a_month_or_a_quarter_only():
    assert period_of(*JUNE) == Period.MONTH
    assert period_of(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)) == Period.QUARTER
    assert period_of(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)) is None
    assert period_of(datetime.date(2026, 6, 2), datetime.date(2026, 6, 30)) is None


def test_progress_of_a_quota_mid_period():
    quota = Quota(period=Period.MONTH, start=JUNE[0], amount=Decimal("9000.00"), deals=3)

    progress = quota.progress(
        today=datetime.date(2026, 6, 10),
        won_amount=Decimal("4600.00"),
        won_count=2,
        activities_done=7,
    )

    assert progress == {
        "quota": Decimal("9000.00"),
        "attainment": 4600 / 9000,
        "pace": 10 / 30,
        "expected": Decimal("3000.00"),
        "gap": Decimal("1600.00"),
        "deal_quota": 3,
        "deal_attainment": 2 / 3,
        "activity_quota": None,
        "activity_attainment": None,
    }


def test_a_quota_of_nothing_has_no_attainment():
    quota = Quota(period=Period.MONTH, start=JUNE[0], amount=Decimal("0"))

    progress = quota.progress(
        today=datetime.date(2026, 6, 10), won_amount=Decimal("10"), won_count=1, activities_done=0
    )

    assert (progress["attainment"], progress["gap"]) == (None, Decimal("10"))


@pytest.mark.django_db
def test_a_quota_is_for_a_rep_or_a_team_starting_on_its_first_day(rep, north):
    both = Quota(owner=rep, team=north, period=Period.MONTH, start=JUNE[0], amount=1)
    neither = Quota(period=Period.MONTH, start=JUNE[0], amount=1)
    mid_month = Quota(owner=rep, period=Period.MONTH, start=datetime.date(2026, 6, 2), amount=1)

    for quota, field in ((both, "team"), (neither, "owner"), (mid_month, "start")):
        with pytest.raises(ValidationError) as error:
            quota.full_clean()
        assert list(error.value.message_dict) == [field]
