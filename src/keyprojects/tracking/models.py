"""Tracking evaluation (跟踪评价): the key projects tracked, the rounds of progress reports,
the reports with their attachments, the local authority's comment and the office's
evaluation.

States are written only by workflow.py (reports) and domain.py (rounds); imports by the
shared import flow (keyprojects.imports).
"""

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.models import Application
from keyprojects.core.clock import china_midnight
from keyprojects.imports.models import ImportBatch
from keyprojects.orgs.credit_code import validate_credit_code
from keyprojects.orgs.models import Authority, Organisation, Region


def _money(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        **kwargs,
    )


PROJECT_IMPORTER = "tracking.projects"


class ProjectImports(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(importer=PROJECT_IMPORTER)


class ProjectImport(ImportBatch):
    """An uploaded XLSX of earlier key projects: a batch of the shared import flow
    (keyprojects.imports), seen from here. The projects it brought in refer to it."""

    objects = ProjectImports()

    class Meta:
        proxy = True
        verbose_name = _("历史项目导入")
        verbose_name_plural = _("历史项目导入")


class TrackedProject(models.Model):
    """A key project followed up by tracking evaluation: imported from an earlier year's
    list (2016–2019) or selected on this platform."""

    class Source(models.TextChoices):
        IMPORTED = "imported", _("往年导入")
        PLATFORM = "platform", _("平台遴选")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    name = models.CharField(_("项目名称"), max_length=200)
    applicant_name = models.CharField(_("申报单位"), max_length=128)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, db_index=True, validators=[validate_credit_code]
    )
    category_name = models.CharField(_("工程类别"), max_length=32)
    city = models.ForeignKey(
        Region,
        verbose_name=_("所在设区市"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Region.Kind.CITY},
        related_name="+",
        help_text=_("省级单位、省属企业为空。"),
    )
    informatisation_investment = _money(_("信息化投资（万元）"))
    content = models.TextField(_("建设内容或项目简介"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    application = models.OneToOneField(
        Application,
        verbose_name=_("申报项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracked_project",
    )
    # Matched by credit code; empty until the owner has registered on the platform.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("建设单位账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracked_projects",
    )
    imported_by = models.ForeignKey(
        ProjectImport, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    created_at = models.DateTimeField(_("加入时间"))

    class Meta:
        verbose_name = _("跟踪项目")
        verbose_name_plural = _("跟踪项目")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name", "credit_code"], name="tracked_project_once"
            ),
            models.CheckConstraint(
                condition=Q(source="platform", application__isnull=False)
                | Q(source="imported", application__isnull=True),
                name="tracked_project_platform_has_application",
            ),
            models.CheckConstraint(
                condition=Q(informatisation_investment__gte=0),
                name="tracked_project_investment_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.name}"

    # The names selection's continuation check reads on its earlier key projects.
    @property
    def applicant_credit_code(self):
        return self.credit_code

    @property
    def city_name(self):
        return self.city.name if self.city_id else ""


class TrackingRound(models.Model):
    """One round of progress reports (e.g. 2026年度), open until the office closes it.

    Reports are due by 24:00 of `due_on` (China time); later ones are accepted and marked
    late.
    """

    class State(models.TextChoices):
        OPEN = "open", _("填报中")
        CLOSED = "closed", _("已结束")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("标题"), max_length=128)
    period = models.CharField(_("报告期"), max_length=32, help_text=_("例如 2026年度"))
    instructions = models.TextField(_("填报要求"), blank=True)
    due_on = models.DateField(_("截止日期"), help_text=_("含当日，至当日24:00止。"))
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.OPEN, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("开启时间"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("跟踪评价轮次")
        verbose_name_plural = _("跟踪评价轮次")
        ordering = ["-opened_at"]

    def __str__(self):
        return self.title

    @property
    def due_at(self) -> dt.datetime:
        return china_midnight(self.due_on + dt.timedelta(days=1))

    @property
    def is_open(self):
        return self.state == self.State.OPEN


class ProgressReport(models.Model):
    """One tracked project's progress report (进展报告) in one round."""

    class State(models.TextChoices):
        PENDING = "pending", _("待填报")
        DRAFT = "draft", _("填报中")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("退回修改")
        EVALUATED = "evaluated", _("已评价")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        TrackingRound, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="reports"
    )
    project = models.ForeignKey(
        TrackedProject, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="reports"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    version = models.PositiveIntegerField(default=1)

    investment_completed = _money(_("累计完成信息化投资（万元）"), null=True, blank=True)
    milestones = models.TextField(_("已完成的建设内容和里程碑"), blank=True)
    users_and_results = models.TextField(_("应用情况和建设成效"), blank=True)
    problems = models.TextField(_("存在的问题和下一步计划"), blank=True)

    # Set on submit (orgs.routing, or the application's authority): who may comment.
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("属地主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    late = models.BooleanField(_("逾期提交"), default=False)
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("最后修改"), null=True, blank=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="one_report_per_round"),
            models.CheckConstraint(
                condition=Q(investment_completed__isnull=True) | Q(investment_completed__gte=0),
                name="report_investment_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.project.name}"

    @property
    def is_editable_state(self):
        return self.state in {self.State.PENDING, self.State.DRAFT, self.State.RETURNED}


def report_upload_to(instance, filename):
    # A random name: the owner's file name never reaches the disk.
    return f"tracking/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class ReportAttachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=report_upload_to, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("报告附件")
        verbose_name_plural = _("报告附件")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class AuthorityComment(models.Model):
    """The local authority's comment (属地意见) on a submitted report; one per report."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.OneToOneField(ProgressReport, on_delete=models.CASCADE, related_name="comment")
    authority = models.ForeignKey(
        Authority, verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("属地意见"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("填写时间"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("属地意见")
        verbose_name_plural = _("属地意见")

    def __str__(self):
        return f"{self.authority} · {self.report}"


class Grade(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


GRADED = ["on_schedule", "funds", "results", "overall"]


def _grade(verbose_name):
    return models.CharField(verbose_name, max_length=16, choices=Grade.choices)


class Evaluation(models.Model):
    """The office's evaluation of one report against the rubric, and its overall grade."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.OneToOneField(
        ProgressReport, on_delete=models.CASCADE, related_name="evaluation"
    )
    on_schedule = _grade(_("进度是否符合计划"))
    on_schedule_remark = models.CharField(_("进度说明"), max_length=500, blank=True)
    funds = _grade(_("资金使用"))
    funds_remark = models.CharField(_("资金说明"), max_length=500, blank=True)
    results = _grade(_("成效"))
    results_remark = models.CharField(_("成效说明"), max_length=500, blank=True)
    overall = _grade(_("总体评价"))
    remark = models.TextField(_("评价意见"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("评价时间"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("跟踪评价")
        verbose_name_plural = _("跟踪评价")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{field}__in": Grade.values}),
                name=f"evaluation_{field}_is_a_grade",
            )
            for field in GRADED
        ]

    def __str__(self):
        return f"{self.report} · {self.get_overall_display()}"
