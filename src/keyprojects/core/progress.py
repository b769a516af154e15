"""What the person who started a background job sees of it: running, done or failed.

Every long-running action (summary tables, the yearly case collection, the similarity
index) stores its own state on its own row; each turns that row into a Job, and one partial,
templates/_progress.html, shows it. While the job runs, the partial asks its `poll_url`
every few seconds (htmx, no inline script) and replaces itself with the answer, which is
the same partial rendered again; once done or failed it stops asking.
"""

import dataclasses
import datetime as dt

from django.utils.translation import gettext_lazy as _

from .clock import now

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
STATE_LABELS = {
    PENDING: _("排队中"),
    RUNNING: _("进行中"),
    DONE: _("已完成"),
    FAILED: _("失败"),
}
# A job with no estimate of its own counts as stuck after this long.
DEFAULT_PATIENCE = dt.timedelta(minutes=10)


@dataclasses.dataclass(frozen=True)
class Job:
    state: str  # PENDING, RUNNING, DONE or FAILED
    title: str  # what is being made, e.g. "2020年典型案例汇编"
    started_at: dt.datetime | None = None
    percent: int | None = None  # None: not known, the bar is shown moving but not filled
    step: str = ""  # what it is doing now
    expected_seconds: int | None = None
    detail: str = ""  # shown once done, e.g. "比对 120 个文本"
    failed_text: str = ""  # what to do after a failure
    poll_url: str = ""  # asked while the job runs; empty where the caller polls
    links: tuple = ()  # (label, url) shown once done
    element_id: str = ""

    @property
    def running(self):
        return self.state in {PENDING, RUNNING}

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def overdue(self):
        """Still running well past the expected time: the worker may not be running."""
        if not self.running or self.started_at is None:
            return False
        patience = (
            dt.timedelta(seconds=2 * self.expected_seconds + 60)
            if self.expected_seconds is not None
            else DEFAULT_PATIENCE
        )
        return now() - self.started_at > patience
