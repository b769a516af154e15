import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.core.clock import china_time, now


class ListExport(models.Model):
    """One "导出 XLSX" of a list: what was asked (the list and its GET parameters), by whom,
    and, for a large one built in the background, its progress and file.

    A small export goes straight to the browser and keeps no file (`direct`); a large one is
    built by a task and downloadable by the person who asked until `expires_at`.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        READY = "ready", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    listing = models.CharField(_("列表"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    params = models.JSONField(_("筛选参数"), default=list, blank=True)
    description = models.TextField(_("筛选条件"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="list_exports"
    )
    requested_at = models.DateTimeField(_("导出时间"), default=now)
    direct = models.BooleanField(_("直接下载"), default=False)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    done = models.PositiveIntegerField(_("已写入行数"), default=0)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING)
    file = models.FileField(_("文件"), upload_to="exports/", blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"))

    class Meta:
        verbose_name = _("列表导出")
        verbose_name_plural = _("列表导出")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"])]

    def __str__(self):
        return f"{self.title}（{china_time(self.requested_at):%Y-%m-%d %H:%M}）"

    @property
    def progress(self) -> int:
        """Per cent written, for the progress bar."""
        if self.state == self.State.READY:
            return 100
        return min(99, self.done * 100 // self.rows) if self.rows else 0

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= now()

    @property
    def is_working(self) -> bool:
        return self.state in {self.State.PENDING, self.State.RUNNING}

    @property
    def filename(self) -> str:
        return f"{self.title}-{china_time(self.requested_at):%Y%m%d-%H%M%S}.xlsx"
