"""Background work of selection: the similarity index of a call (seconds to minutes for
thousands of texts) leaves the request."""

import logging

from django_tasks import task

from keyprojects.audit.domain import record

logger = logging.getLogger(__name__)


@task()
def compute_similarity(run_id: str) -> str:
    from . import indexing  # indexing enqueues this task
    from .models import SimilarityRun

    run = SimilarityRun.objects.select_related("call").get(pk=run_id)
    if run.state != SimilarityRun.State.PENDING:
        return run.state  # a retried task never computes a run twice
    try:
        indexing.compute(run)
    except Exception:
        logger.exception("similarity run %s failed", run_id)
        SimilarityRun.objects.filter(pk=run_id).update(state=SimilarityRun.State.FAILED)
        record(run, "compute", to_state=SimilarityRun.State.FAILED, reason="exception")
        raise
    return SimilarityRun.State.DONE
