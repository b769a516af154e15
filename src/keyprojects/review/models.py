import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.calls.models import Call
from keyprojects.core.clock import now
from keyprojects.orgs.models import Authority


class RecommendationBatch(models.Model):
    """An authority's recommendation for one call: open until sent to the province.

    Sending it locks the authority's opinions and summary table; the provincial office may
    reopen it with a reason. Both are recorded as events.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(Call, verbose_name=_("年度批次"), on_delete=models.PROTECT)
    authority = models.ForeignKey(Authority, verbose_name=_("主管部门"), on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_table = models.ForeignKey(
        "SummaryTable", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the office when it reopens the batch after the call's deadline.
    extended_until = models.DateTimeField(_("补报截止时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("推荐报送")
        verbose_name_plural = _("推荐报送")
        constraints = [
            models.UniqueConstraint(fields=["call", "authority"], name="one_batch_per_authority")
        ]

    def __str__(self):
        return f"{self.call} · {self.authority}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def deadline(self):
        """The call's recommendation deadline, or the later one the office granted."""
        return max(
            self.call.recommendation_deadline,
            self.extended_until or self.call.recommendation_deadline,
        )


def table_upload_to(instance, filename):
    return f"summary-tables/{instance.batch_id}/{uuid.uuid4().hex}{filename[-5:]}"


class SummaryTable(models.Model):
    """One generated version of the 推荐项目汇总表, with the code derived from its content."""

    class State(models.TextChoices):
        PENDING = "pending", _("生成中")
        READY = "ready", _("已生成")
        FAILED = "failed", _("生成失败")

    class Progress(models.IntegerChoices):
        """The steps of rendering, as percentages (PDF layout takes most of the time)."""

        QUEUED = 0, _("排队等待后台任务")
        XLSX = 5, _("正在生成 XLSX")
        LAYOUT = 15, _("正在排版 PDF")
        WRITE = 90, _("正在写出 PDF")
        DONE = 100, _("已完成")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(RecommendationBatch, on_delete=models.CASCADE, related_name="tables")
    code = models.CharField(_("校验码"), max_length=32, db_index=True)
    content = models.JSONField(_("内容"), default=dict)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    xlsx = models.FileField(upload_to=table_upload_to, blank=True)
    pdf = models.FileField(upload_to=table_upload_to, blank=True)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("推荐项目汇总表")
        verbose_name_plural = _("推荐项目汇总表")
        ordering = ["-generated_at"]

    def __str__(self):
        return f"{self.batch} · {self.code}"

    @property
    def step(self):
        """What the rendering is doing now, for the progress bar."""
        return self.Progress(max(p for p in self.Progress.values if p <= self.progress)).label

    @property
    def expected_seconds(self):
        # Measured here: ~2 s for a short table, +11 s per 1,000 rows (2 cores).
        return round(2 + 0.011 * len(self.content.get("rows", [])))

    @property
    def overdue(self):
        """Still pending well past the expected time: the worker may not be running."""
        waited = (now() - self.generated_at).total_seconds()
        return self.state == self.State.PENDING and waited > 2 * self.expected_seconds + 60


def scan_upload_to(instance, filename):
    return f"stamped-scans/{instance.table.batch_id}/{uuid.uuid4().hex}{instance.extension}"


class StampedScan(models.Model):
    """The uploaded scan of the printed, sealed table, kept with the version it certifies."""

    class CodeSource(models.TextChoices):
        QR = "qr", _("从二维码识别")
        TYPED = "typed", _("人工输入")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    table = models.ForeignKey(SummaryTable, on_delete=models.PROTECT, related_name="scans")
    file = models.FileField(upload_to=scan_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    sha256 = models.CharField(max_length=64)
    code_source = models.CharField(max_length=8, choices=CodeSource.choices)
    seal_found = models.BooleanField(_("检测到红色印章"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("盖章扫描件")
        verbose_name_plural = _("盖章扫描件")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name
