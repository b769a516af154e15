"""Background work of typical cases: the yearly collection PDF leaves the request (a year's
cases with their pictures take seconds to lay out)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def render_collection(year: int, generation: int) -> str:
    from . import collection  # collection enqueues this task

    try:
        return collection.render_and_store(year, generation)
    except Exception:
        logger.exception("case collection %s (request %s) failed", year, generation)
        collection.mark_failed(year, generation)
        raise
