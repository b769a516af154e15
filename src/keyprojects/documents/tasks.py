"""Background work of exports: a list of thousands of rows is written by the worker while
its requester watches the progress page (exports.py)."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def build_export(export_id: str) -> str:
    from . import exports  # exports enqueues this task
    from .models import ListExport

    export = ListExport.objects.select_related("requested_by").get(pk=export_id)
    if export.state in {ListExport.State.READY, ListExport.State.FAILED}:
        return export.state  # a retried task never writes a finished export twice
    # Pending, or running when its worker died (core/task_recovery.py queues it again):
    # written from the start, the partial file of the dead worker never having been saved.
    try:
        exports.build(export)
    except exports.ExportRefused:
        logger.warning("export %s refused: the list is no longer the requester's", export_id)
        exports.fail(export_id)
        return ListExport.State.FAILED
    except Exception:
        logger.exception("export %s failed", export_id)
        exports.fail(export_id)
        raise
    exports.purge_expired()
    return ListExport.State.READY
