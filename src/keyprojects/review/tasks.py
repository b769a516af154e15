"""Background work of local review: summary tables leave the request (a table of a
city's hundreds of projects takes seconds to lay out as PDF)."""

import logging

from django_tasks import task

from .models import SummaryTable

logger = logging.getLogger(__name__)


@task()
def render_summary_table(table_id: str) -> str:
    table = SummaryTable.objects.get(pk=table_id)
    if table.state != SummaryTable.State.PENDING:
        return table.state  # a retried task never renders a version twice
    from . import tables  # tables needs domain, which enqueues this task

    try:
        tables.render_files(table)
    except Exception:
        logger.exception("summary table %s failed", table_id)
        SummaryTable.objects.filter(pk=table_id).update(state=SummaryTable.State.FAILED)
        raise
    return table.state
