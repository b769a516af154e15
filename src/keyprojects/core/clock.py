"""One place for "now" and for reading times in China Standard Time.

Every deadline of a call is an aware datetime; comparing aware datetimes does not depend on
the server clock's zone, so a server running in UTC enforces the same instant as one in
Asia/Shanghai.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

CHINA = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    return timezone.now()


def china_time(value: dt.datetime) -> dt.datetime:
    return value.astimezone(CHINA)


def china_midnight(day: dt.date) -> dt.datetime:
    """00:00 of `day` in China Standard Time, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=CHINA)
