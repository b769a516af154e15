"""Five working days skip weekends (statutory holidays are not known; see workdays.py)."""

import datetime as dt

import pytest

from keyprojects.notices.workdays import (
    next_working_day,
    working_days_between,
    working_days_end,
)

MONDAY = dt.date(2020, 11, 2)


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        (MONDAY, 5, dt.date(2020, 11, 6)),  # Monday → Friday
        (MONDAY + dt.timedelta(days=3), 5, dt.date(2020, 11, 11)),  # Thursday → Wednesday
        (MONDAY - dt.timedelta(days=1), 5, dt.date(2020, 11, 6)),  # a Sunday start counts Monday
        (MONDAY, 1, MONDAY),
        (dt.date(2020, 12, 28), 5, dt.date(2021, 1, 1)),  # across the year (New Year not known)
    ],
)
def test_working_days_end(start, n, end):
    assert working_days_end(start, n) == end


def test_a_period_has_the_working_days_it_was_computed_with():
    for offset in range(7):
        start = MONDAY + dt.timedelta(days=offset)
        end = working_days_end(start, 5)
        assert working_days_between(start, end) == 5
        assert end.weekday() < 5


def test_next_working_day_and_bad_input():
    assert next_working_day(dt.date(2020, 11, 7)) == dt.date(2020, 11, 9)  # Saturday → Monday
    assert working_days_between(MONDAY, MONDAY - dt.timedelta(days=1)) == 0
    with pytest.raises(ValueError):
        working_days_end(MONDAY, 0)
