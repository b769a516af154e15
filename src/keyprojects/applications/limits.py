"""The per-applicant limit in the database: numbered places.

Each application that counts towards its call's limit (workflow.COUNTED) holds one of its
organisation's places 1…limit (`Application.limit_slot`); a unique constraint lets no two
hold the same place, so even two submits that both saw a free place cannot both commit.
workflow.perform frees the place when the application stops counting (withdrawn).
"""

from . import workflow
from .models import Application


def take_slot(locked) -> None:
    """Give a counted application a free place; submit_problems() has checked that the
    organisation is under its limit, so one of 1…limit is free."""
    if locked.limit_slot is not None:
        return
    taken = set(
        Application.objects.filter(
            call_id=locked.call_id,
            organisation_id=locked.organisation_id,
            status__in=workflow.COUNTED,
        )
        .exclude(pk=locked.pk)
        .exclude(limit_slot=None)
        .values_list("limit_slot", flat=True)
    )
    locked.limit_slot = min(set(range(1, locked.call.per_applicant_limit + 1)) - taken)
