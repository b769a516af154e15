"""Keeping the public objection form usable by people and costly for robots.

- A minimum fill time: the form carries the moment it was served, signed, so a post that
  comes back faster than a person could type (or with a forged or missing stamp) is refused.
- A honeypot: a field hidden from people that robots fill in.
- A rate limit per client address through Django's cache (shared between processes when the
  cache is Redis), counted per clock hour.

The first two are refused with a neutral message that does not tell a robot what gave it
away; the rate limit says plainly when to try again.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

_SALT = "keyprojects.notices.objection-form"


def min_fill_seconds() -> int:
    return getattr(settings, "NOTICES_OBJECTION_MIN_SECONDS", 5)


def hourly_limit() -> int:
    return getattr(settings, "NOTICES_OBJECTIONS_PER_HOUR", 5)


def fill_token(notice_id, issued_at: float | None = None) -> str:
    """The signed moment the form was served, bound to its notice."""
    stamp = time.time() if issued_at is None else issued_at
    return signing.dumps({"n": str(notice_id), "t": stamp}, salt=_SALT)


def too_fast_or_forged(token: str, notice_id) -> bool:
    try:
        value = signing.loads(token or "", salt=_SALT)
    except signing.BadSignature:
        return True
    if not isinstance(value, dict) or value.get("n") != str(notice_id):
        return True
    return time.time() - float(value.get("t", 0)) < min_fill_seconds()


def _key(address: str) -> str:
    hour = int(time.time() // 3600)
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"notices:objections:{digest}:{hour}"


def minutes_until_next_hour() -> int:
    return math.ceil((3600 - time.time() % 3600) / 60)


def over_limit(address: str) -> bool:
    return (cache.get(_key(address)) or 0) >= hourly_limit()


def count_attempt(address: str) -> None:
    """Count a filing (or a refused robot) against the address for this hour."""
    key = _key(address)
    if not cache.add(key, 1, timeout=3600):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=3600)
