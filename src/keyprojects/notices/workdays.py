"""Working days for notice periods ("公示期5个工作日").

Only weekends are skipped. Statutory holidays (春节, 国庆…) and the weekend days the State
Council turns into working days (调休) change every year and are not known to the system:
the office checks the proposed end date against the year's holiday notice and corrects it.
"""

import datetime as dt


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the Monday after."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_days_end(start: dt.date, n: int) -> dt.date:
    """The last day of a period of `n` working days beginning on `start`.

    `start` counts if it is a working day: a 5-working-day notice from Monday 2020-11-02
    ends on Friday 2020-11-06; from Thursday it ends on the next Wednesday.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted = next_working_day(start), 1
    while counted < n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from `start` to `end`, both included (0 if `end` is before `start`)."""
    days = (end - start).days + 1
    return sum(is_working_day(start + dt.timedelta(days=i)) for i in range(max(days, 0)))
