"""Exporting a list as XLSX: exactly the rows the user may see, filtered and sorted as the
page is, written by documents/xlsx.py.

Up to `settings.EXPORT_DIRECT_MAX_ROWS` rows the file is written while the user waits and
sent straight back. A larger list is built by a background task (tasks.py): the user
follows a progress page and downloads the file there; only they may, and only until it
expires (`settings.EXPORT_KEEP_DAYS`). Every request is recorded in the audit trail with
its filters and its number of rows.

The queries an export runs do not depend on its number of rows: the rows come from one
SELECT (read in chunks), and a background export saves its progress at fixed steps.
"""

import datetime as dt
import logging
import math
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import FileResponse, QueryDict
from django.utils.translation import gettext as _

from keyprojects.audit.domain import record
from keyprojects.core.clock import china_time, now

from . import listings
from .models import ListExport
from .xlsx import XLSX_TYPE, write_list

logger = logging.getLogger(__name__)

CHUNK = 2000  # rows read per database round trip
PROGRESS_STEPS = 10  # progress saved this many times per background export


def direct_max_rows() -> int:
    return settings.EXPORT_DIRECT_MAX_ROWS


def as_querydict(pairs) -> QueryDict:
    params = QueryDict(mutable=True)
    for name, value in pairs:
        params.appendlist(name, value)
    return params


def request_export(listing, user, query, context, count: int) -> ListExport:
    """Record an export of `count` rows. A large one is audited and queued for the worker in
    the same transaction, so the row, its event and its task exist together; a direct one
    is audited once its file is written (`direct_response`), so it never lists itself."""
    direct = count <= direct_max_rows()
    at = now()
    with transaction.atomic():
        export = ListExport.objects.create(
            listing=listing.name,
            title=listing.heading(context)[:200],
            params=query.params(**listing.context_params(context)),
            description=query.describe(),
            requested_by=user,
            requested_at=at,
            direct=direct,
            rows=count,
            state=ListExport.State.READY if direct else ListExport.State.PENDING,
            finished_at=at if direct else None,
            expires_at=at + dt.timedelta(days=settings.EXPORT_KEEP_DAYS),
        )
        if not direct:
            from . import tasks  # tasks runs this module's build

            _record(export)
            tasks.build_export.enqueue(str(export.pk))
    return export


def _record(export):
    record(
        export,
        "export_list",
        actor=export.requested_by,
        data={
            "listing": export.listing,
            "filters": export.description,
            "params": export.params,
            "rows": export.rows,
            "direct": export.direct,
        },
    )


def about(export) -> list[tuple[str, str]]:
    """The export's "说明" sheet: what it holds and who asked for it, when."""
    user, at = export.requested_by, china_time(export.requested_at)
    return [
        (_("列表"), export.title),
        (_("筛选条件"), export.description),
        (_("导出人"), user.full_name or user.username),
        (_("导出时间"), _("%(at)s（北京时间）") % {"at": f"{at:%Y-%m-%d %H:%M:%S}"}),
    ]


def _write(export, listing, context, rows, handle, progress=None) -> int:
    return write_list(
        handle,
        title=export.title,
        columns=listing.columns,
        rows=listing.decorate(rows.iterator(chunk_size=CHUNK), context),
        about=about(export),
        progress=progress,
    )


def direct_response(export, listing, context, rows) -> FileResponse:
    """The file of a small export, written to a temporary file and streamed from it."""
    # Outlives this function: the response streams it, then closes (and so deletes) it.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    _write(export, listing, context, rows, handle)
    _record(export)
    handle.seek(0)
    response = FileResponse(
        handle, as_attachment=True, filename=export.filename, content_type=XLSX_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response


class Progress:
    """Saves how many rows are written at PROGRESS_STEPS - 1 fixed points of the expected
    total (the final save is the last step): as many UPDATEs for 3,000 rows as for 300,000."""

    def __init__(self, export, steps=PROGRESS_STEPS):
        self.export = export
        total = export.rows
        self.marks = [max(1, math.ceil(total * k / steps)) for k in range(1, steps)]
        self.saved = 0

    def __call__(self, count: int):
        while self.saved < len(self.marks) and count >= self.marks[self.saved]:
            self._save(self.marks[self.saved])

    def finish(self, count: int):
        """Steps not reached (the list shrank since it was counted) are saved now."""
        while self.saved < len(self.marks):
            self._save(count)

    def _save(self, done):
        ListExport.objects.filter(pk=self.export.pk).update(done=done)
        self.saved += 1


class ExportRefused(Exception):
    """The user may no longer see the list (or it is gone): nothing is written."""


def build(export: ListExport) -> ListExport:
    """Write a queued export's file as its requester may see the list now."""
    ListExport.objects.filter(pk=export.pk).update(state=ListExport.State.RUNNING)
    listing = listings.get(export.listing)
    user, params = export.requested_by, as_querydict(export.params)
    try:
        context = listing.context(user, params)
    except Exception as error:  # Http404: access withdrawn, or the call or round is gone
        raise ExportRefused(export.pk) from error
    query = listing.query(user, params, context)
    rows = listing.export_rows(user, query, context)
    progress = Progress(export)
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        count = _write(export, listing, context, rows, handle, progress)
        progress.finish(count)
        handle.seek(0)
        export.file.save(f"{export.pk}.xlsx", File(handle), save=False)
    export.state, export.done, export.finished_at = ListExport.State.READY, count, now()
    export.save(update_fields=["file", "state", "done", "finished_at"])
    return export


def fail(export_id):
    ListExport.objects.filter(pk=export_id).update(state=ListExport.State.FAILED)


def purge_expired(at=None) -> int:
    """Delete the files of expired exports (the rows stay: who exported what, and when)."""
    expired = ListExport.objects.filter(expires_at__lte=at or now()).exclude(file="")
    count = 0
    for export in expired:
        export.file.delete(save=False)
        ListExport.objects.filter(pk=export.pk).update(file="")
        count += 1
    return count
