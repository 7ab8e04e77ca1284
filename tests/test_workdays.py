"""Working-day deadlines against the real England and Wales bank holidays."""

from __future__ import annotations

from datetime import date

import pytest

from correspond.draft import add_working_days, is_working_day


def test_zero_days_is_the_day_itself_even_at_a_weekend():
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)  # a Saturday


def test_counting_starts_the_day_after_and_skips_the_weekend():
    assert add_working_days(date(2026, 3, 5), 1) == date(2026, 3, 6)  # Thu -> Fri
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Fri -> Mon
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Sat -> Mon
    assert add_working_days(date(2026, 3, 2), 10) == date(2026, 3, 16)  # two clear weeks


@pytest.mark.parametrize("region", ["ENG", "WLS"])
def test_christmas_2026_with_boxing_day_observed_on_monday(region):
    # 25 Dec is a Friday, 26-27 the weekend, 28 Dec the substitute Boxing Day.
    assert not is_working_day(date(2026, 12, 25), region)
    assert not is_working_day(date(2026, 12, 28), region)
    assert add_working_days(date(2026, 12, 24), 1, region) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 24), 2, region) == date(2026, 12, 30)
    # 1 January 2027 (a Friday) is a holiday too.
    assert add_working_days(date(2026, 12, 24), 4, region) == date(2027, 1, 4)


def test_easter_2027():
    # Good Friday 26 March, Easter Monday 29 March 2027.
    assert not is_working_day(date(2027, 3, 26))
    assert not is_working_day(date(2027, 3, 29))
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert add_working_days(date(2027, 3, 24), 2) == date(2027, 3, 30)


def test_late_may_and_august_bank_holidays():
    assert add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)  # 25 May 2026
    assert add_working_days(date(2027, 8, 27), 1) == date(2027, 8, 31)  # 30 Aug 2027


def test_a_ten_day_reply_across_christmas_2027():
    # 27 and 28 December 2027 are the substitute Christmas and Boxing Days, and
    # 1 January 2028 is a Saturday, so New Year's Day is observed on Monday 3 January.
    assert not is_working_day(date(2028, 1, 3))
    assert add_working_days(date(2027, 12, 20), 10) == date(2028, 1, 6)


def test_scottish_holidays_are_not_used():
    # 2 January and St Andrew's Day are Scottish bank holidays only.
    assert is_working_day(date(2026, 11, 30), "ENG")
    assert is_working_day(date(2026, 11, 30), "WLS")
    assert add_working_days(date(2026, 1, 1), 1) == date(2026, 1, 2)
    # The Scottish summer holiday is early August; England's is the last Monday.
    assert is_working_day(date(2026, 8, 3))
    assert not is_working_day(date(2026, 8, 31))


def test_unknown_region_or_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), 1, "SCT")
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)
