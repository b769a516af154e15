"""Imports staged on the server: the uploaded sheet's rows with what is wrong with each,
then the import. domain.py runs the flow and is the only writer of `state`."""

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.core import crypto
from keyprojects.core.fields import EncryptedMixin, column_of


class EncryptedJSONField(EncryptedMixin, models.TextField):
    """JSON encrypted at rest with SM4 like the contact fields: staged rows carry phone
    numbers and e-mail addresses. Key rotation (rotate_field_keys) covers it too."""

    description = "JSON encrypted with SM4"

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return json.loads(text) if text else []

    def to_python(self, value):
        if isinstance(value, str):  # a serialised backup holds the ciphertext
            return json.loads(crypto.decrypt(value, column_of(self)) or "[]")
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value, ensure_ascii=False), column_of(self))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))


class ImportBatch(models.Model):
    """One uploaded XLSX for one importer: every row as read, what is wrong with it and its
    clean values; once confirmed, what became of each row.

    It belongs to the user who uploaded it: nobody else previews or confirms it. A batch
    left unconfirmed expires (domain.purge_expired).
    """

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("待确认")
        QUEUED = "queued", _("排队等待导入")
        RUNNING = "running", _("正在导入")
        IMPORTED = "imported", _("已导入")
        FAILED = "failed", _("导入失败")

    class Step(models.TextChoices):
        WAITING = "", _("等待后台任务开始")
        CHECKING = "checking", _("正在重新检查每一行")
        WRITING = "writing", _("正在写入")
        NOTIFYING = "notifying", _("正在发送通知邮件")
        DONE = "done", _("已完成")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    importer = models.CharField(_("导入类型"), max_length=64)
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64, blank=True)
    columns = models.JSONField(_("读取的列"), default=list)
    rows = EncryptedJSONField(_("逐行检查结果"), default=list)
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.PREVIEWED
    )
    message = models.TextField(_("最近一次确认的结果说明"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"))
    expires_at = models.DateTimeField(_("未确认时的过期时间"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    total_count = models.PositiveIntegerField(_("行数"), default=0)
    rejected_count = models.PositiveIntegerField(_("有错误的行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("无变化"), default=0)
    # The progress of a confirmed import, written between its steps and outside the write
    # transaction, so that the page polling it sees them.
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.WAITING, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("导入")
        verbose_name_plural = _("导入")
        ordering = ["-uploaded_at"]
        indexes = [
            models.Index(fields=["importer", "uploaded_by"], name="import_of_user"),
            models.Index(fields=["state", "expires_at"], name="import_expiry"),
        ]

    def __str__(self):
        return self.file_name

    @property
    def good_rows(self):
        return [row for row in self.rows if not row["errors"]]

    @property
    def bad_rows(self):
        return [row for row in self.rows if row["errors"]]

    @property
    def good_count(self):
        return self.total_count - self.rejected_count

    @property
    def imported_count(self):
        return self.created_count + self.updated_count

    @property
    def is_pending(self):
        return self.state in {self.State.QUEUED, self.State.RUNNING}

    @property
    def is_notifying(self):
        """Imported, its e-mails still going out."""
        return self.state == self.State.IMPORTED and self.step == self.Step.NOTIFYING

    @property
    def percent(self) -> int:
        """How far a confirmed import has come, for the progress bar (0–100)."""
        starts = {"checking": 5, "writing": 40, "notifying": 80, "done": 100}
        spans = {"checking": 35, "notifying": 20}
        start, span = starts.get(self.step, 0), spans.get(self.step, 0)
        if span and self.progress_total:
            start += span * min(self.progress_done, self.progress_total) // self.progress_total
        return start
