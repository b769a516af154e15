"""The shared import flow: upload → preview → confirm → report. The only writer of an
ImportBatch's state.

- `stage` reads the uploaded sheet, checks every row and keeps the result as a batch of the
  uploader's; nothing is imported.
- `start` (the confirm button) queues the import as a background task, once: a second
  click or a re-post finds the batch no longer awaiting confirmation and does nothing.
- The import (`run` in the task, `confirm` for callers that want it at once) checks every
  row again and writes all good rows in one transaction, or none: if the good rows are not
  those the user saw (something was imported since), nothing is written and the refreshed
  preview is shown instead.
- A batch left unconfirmed expires after STAGE_TTL and is purged.
"""

import datetime as dt
import logging
from collections import Counter

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from keyprojects.audit import chain
from keyprojects.audit.domain import event, record
from keyprojects.core.clock import now

from . import files, tasks
from .base import ImportRefused, Problems, Written, importer_for
from .models import ImportBatch

logger = logging.getLogger(__name__)

STAGE_TTL = dt.timedelta(hours=24)
PROGRESS_EVERY = 250  # rows between two progress writes
State, Step = ImportBatch.State, ImportBatch.Step


def stage(importer, uploaded, *, by) -> ImportBatch:
    """Read and check an uploaded sheet and keep it for its uploader to confirm."""
    facts, rows = files.read_upload(importer, uploaded)
    return stage_rows(importer, rows, by=by, **facts)


def stage_rows(importer, rows, *, by, file_name, sha256="", columns=None) -> ImportBatch:
    """Check rows ({number, values}) and keep them as a batch awaiting confirmation."""
    checked = check(importer, rows)
    at = now()
    purge_expired(at)
    rejected = sum(1 for row in checked if row["errors"])
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            importer=importer.key,
            file_name=file_name,
            sha256=sha256,
            columns=columns or [c.name for c in importer.columns],
            rows=checked,
            uploaded_by=by,
            uploaded_at=at,
            expires_at=at + STAGE_TTL,
            total_count=len(checked),
            rejected_count=rejected,
        )
        record(
            batch,
            "preview",
            actor=by,
            to_state=State.PREVIEWED,
            data={
                "importer": importer.key,
                "file": file_name,
                "rows": len(checked),
                "rejected": rejected,
            },
        )
    return batch


def check(importer, rows: list[dict], progress=None) -> list[dict]:
    """Each row ({number, values}) with `errors` and, when it has none, `clean` values."""
    context = importer.prepare(rows)
    for index, row in enumerate(rows, start=1):
        problems = Problems()
        clean = importer.check_row(row, problems, context)
        row["errors"] = list(problems)
        row["clean"] = None if problems else clean
        row.pop("outcome", None)
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
    return rows


def is_expired(batch, at=None) -> bool:
    return batch.state == State.PREVIEWED and batch.expires_at <= (at or now())


def start(batch, *, by) -> ImportBatch:
    """Confirm: queue the import of the batch's good rows. Idempotent: once confirmed, a
    repeated confirmation changes nothing."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().defer("rows").get(pk=batch.pk)
        if locked.state != State.PREVIEWED:
            return locked
        _refuse_if_unconfirmable(locked)
        locked.state, locked.confirmed_at, locked.message = State.QUEUED, now(), ""
        locked.step, locked.progress_done, locked.progress_total = Step.WAITING, 0, 0
        locked.save(
            update_fields=[
                "state",
                "confirmed_at",
                "message",
                "step",
                "progress_done",
                "progress_total",
            ]
        )
        record(locked, "confirm", actor=by, from_state=State.PREVIEWED, to_state=State.QUEUED)
        # In the caller's transaction: the task exists exactly when the confirmation does.
        tasks.run_import.enqueue(str(locked.pk))
    return locked


def _refuse_if_unconfirmable(batch) -> None:
    if is_expired(batch):
        raise ImportRefused(_("检查结果已过期（超过 24 小时未确认），请重新上传文件。"))
    if not batch.good_count:
        raise ImportRefused(_("没有可导入的行，请修改后重新上传。"))


def confirm(batch, *, by) -> Written:
    """Import the batch's good rows now, in the caller's process (the pages queue it)."""
    current = ImportBatch.objects.defer("rows").get(pk=batch.pk)
    if current.state == State.PREVIEWED:
        _refuse_if_unconfirmable(current)
    return _execute(batch.pk, by=by, expected=State.PREVIEWED)


def run(batch_id: str) -> str:
    """The background task's work: claim the queued batch (a retried task finds it claimed
    and does nothing), then import it."""
    claimed = ImportBatch.objects.filter(pk=batch_id, state=State.QUEUED).update(
        state=State.RUNNING, step=Step.CHECKING
    )
    if not claimed:
        return "skipped"
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    try:
        _execute(batch.pk, by=batch.uploaded_by, expected=State.RUNNING, report=_reporter(batch))
    except ImportRefused:
        return State.PREVIEWED
    except Exception:
        logger.exception("import %s failed", batch_id)
        _fail(batch)
        raise
    return State.IMPORTED


def _reporter(batch):
    def report(step, done=0, total=0):
        ImportBatch.objects.filter(pk=batch.pk).update(
            step=step, progress_done=done, progress_total=total
        )

    return report


def _already(state) -> str:
    if state in (State.QUEUED, State.RUNNING):
        return _("该文件正在导入，请稍候。")
    if state == State.FAILED:
        return _("该文件导入失败，请重新上传。")
    return _("该文件已导入，不能重复导入。")


def _execute(pk, *, by, expected, report=None) -> Written:
    """Check again, then write every good row in one transaction, or nothing."""
    report = report or (lambda *args: None)
    batch = ImportBatch.objects.get(pk=pk)
    if batch.state != expected:
        raise ImportRefused(_already(batch.state))
    importer = importer_for(batch.importer)
    report(Step.CHECKING, 0, batch.total_count)
    fresh = [{"number": r["number"], "values": r["values"]} for r in batch.rows]
    rows = check(importer, fresh, lambda done, total: report(Step.CHECKING, done, total))
    report(Step.WRITING, 0, batch.good_count)
    refused = None
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=pk)
        if locked.state != expected:
            raise ImportRefused(_already(locked.state))
        if _good(rows) != _good(locked.rows):
            refused = importer.changed_message
            _back_to_preview(locked, rows, refused, by=by, expected=expected)
        else:
            try:
                with transaction.atomic():
                    written = importer.write(rows, batch=locked, by=by)
            except IntegrityError:  # a concurrent import wrote one of these rows
                refused = importer.clash_message
                _back_to_preview(locked, locked.rows, refused, by=by, expected=expected)
            else:
                _finish(locked, rows, written, by=by, expected=expected)
    if refused:
        raise ImportRefused(str(refused))
    try:  # committed: the e-mails go out while the page shows their progress
        importer.after_import(
            written,
            batch=locked,
            by=by,
            progress=lambda done, total: report(Step.NOTIFYING, done, total),
        )
    finally:
        ImportBatch.objects.filter(pk=pk).update(step=Step.DONE)
    return written


def _good(rows) -> list[int]:
    return [row["number"] for row in rows if not row["errors"]]


def _back_to_preview(batch, rows, message, *, by, expected) -> None:
    batch.rows, batch.message = rows, str(message)
    batch.rejected_count = sum(1 for row in rows if row["errors"])
    batch.state, batch.step = State.PREVIEWED, Step.WAITING
    batch.save(update_fields=["rows", "message", "rejected_count", "state", "step"])
    record(
        batch,
        "refuse",
        actor=by,
        from_state=expected,
        to_state=State.PREVIEWED,
        reason=str(message),
        data={"rejected": batch.rejected_count},
    )


def _finish(batch, rows, written, *, by, expected) -> None:
    counts = Counter(row.get("outcome") for row in rows if not row["errors"])
    batch.rows, batch.state, batch.imported_at = rows, State.IMPORTED, now()
    batch.step, batch.progress_done, batch.progress_total = Step.NOTIFYING, 0, 0
    batch.created_count = counts["created"]
    batch.updated_count = counts["updated"]
    batch.unchanged_count = counts["unchanged"]
    batch.rejected_count = sum(1 for row in rows if row["errors"])
    batch.save()
    record(
        batch,
        "import",
        actor=by,
        from_state=expected,
        to_state=State.IMPORTED,
        data={
            "importer": batch.importer,
            "file": batch.file_name,
            "rows": batch.total_count,
            "imported": batch.imported_count,
            "created": batch.created_count,
            "updated": batch.updated_count,
            "unchanged": batch.unchanged_count,
            "rejected": batch.rejected_count,
            **written.data,
        },
    )


def _fail(batch) -> None:
    """A running import that broke before its commit: nothing was written."""
    with transaction.atomic():
        failed = ImportBatch.objects.filter(pk=batch.pk, state=State.RUNNING).update(
            state=State.FAILED,
            step=Step.WAITING,
            message=_(
                "导入过程中出现系统错误，未导入任何行。请稍后重新上传；如仍失败请联系技术支持。"
            ),
        )
        if not failed:  # it broke after the commit (the e-mails): the import stands
            return
        record(
            batch,
            "fail",
            actor=batch.uploaded_by,
            from_state=State.RUNNING,
            to_state=State.FAILED,
        )


def purge_expired(at=None) -> int:
    """Delete batches never confirmed (or failed) past their expiry: they hold personal
    data nobody will import. Imported batches stay, as the record of what came from where."""
    at = at or now()
    stale = ImportBatch.objects.filter(
        state__in=[State.PREVIEWED, State.FAILED], expires_at__lte=at
    )
    count = stale.count()
    if count:
        with transaction.atomic():
            stale.delete()
            chain.append([event("imports.importbatch", "expired", "purge", data={"count": count})])
    return count
