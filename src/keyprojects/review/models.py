import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.calls.models import Call
from keyprojects.core import progress
from keyprojects.core.clock import now
from keyprojects.core.fields import EncryptedJSONField
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


class Opinion(models.Model):
    """An authority's current recommendation opinion (推荐意见) on an application.

    One per authority and application, by constraint: a later decision (before sending to
    the province) replaces it; each decision is also an event, which keeps the history.
    Written by domain.decide under the application's row lock.
    """

    class Decision(models.TextChoices):
        RECOMMEND = "recommend", _("推荐")
        NOT_RECOMMEND = "not_recommend", _("不予推荐")
        RETURN = "return", _("退回修改")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="opinions"
    )
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("意见"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("出具时间"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("推荐意见")
        verbose_name_plural = _("推荐意见")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "authority"],
                name="one_opinion_per_authority_and_application",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=["recommend", "not_recommend", "return"]),
                name="opinion_decision_known",
            ),
            # Not recommending and returning always say why (the notice asks for reasons).
            models.CheckConstraint(
                condition=models.Q(decision="recommend") | ~models.Q(reason=""),
                name="opinion_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.authority} · {self.application} · {self.get_decision_display()}"


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
    # Frozen as printed, contacts' names and phones included: encrypted at rest with SM4
    # (core/fields.py); the code is SM3 over the plaintext, so it does not depend on the key.
    content = EncryptedJSONField(_("内容"), default=dict)
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
        # Measured here (bench/bench_summary_table.py): ~2 s for a short table; 1,000 rows
        # take 1.6 s of CPU for both files, up to 4 s more on a loaded machine.
        return round(2 + 0.004 * len(self.content.get("rows", [])))

    @property
    def overdue(self):
        """Still pending well past the expected time: the worker may not be running."""
        waited = (now() - self.generated_at).total_seconds()
        return self.state == self.State.PENDING and waited > 2 * self.expected_seconds + 60

    @property
    def job(self):
        """The rendering of its files, for the shared progress partial (core/progress.py);
        the batch page's line polls itself (templates/review/_table_item.html)."""
        state = {self.State.READY: progress.DONE, self.State.FAILED: progress.FAILED}
        return progress.Job(
            state=state.get(self.state, progress.RUNNING if self.progress else progress.PENDING),
            title=_("生成汇总表文件（PDF、XLSX）"),
            started_at=self.generated_at,
            percent=self.progress,
            step=self.step,
            expected_seconds=self.expected_seconds,
            failed_text=_("生成失败，请重新生成；如仍失败请联系系统管理员。"),
        )


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
