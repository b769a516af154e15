from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last sign of life of each task worker, so /healthz can tell when none is running
    (the task library itself records which worker claimed a task, not who is alive)."""

    worker_id = models.CharField(_("工作进程"), max_length=64, unique=True)
    hostname = models.CharField(_("主机"), max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("任务工作进程")
        verbose_name_plural = _("任务工作进程")

    def __str__(self):
        return f"{self.worker_id}@{self.hostname}"
