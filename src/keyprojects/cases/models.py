"""Typical cases and solutions (典型案例和解决方案): a selected project written up for the public.

A case belongs to one selected application; its year, category, city and organisation are
copied from it when the case is created, so the public library filters and searches one
table. `search_title` / `search_text` are the normalised text the Chinese full-text search
matches (search.py); `content_digest` fingerprints everything the public will read, so a
consent names the very content it was given for (domain.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.models import Application
from keyprojects.calls.models import Category
from keyprojects.core import progress
from keyprojects.core.clock import china_time
from keyprojects.orgs.models import Organisation, Region


class Case(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_REVIEW = "in_review", _("待审核")
        PUBLISHED = "published", _("已发布")
        UNPUBLISHED = "unpublished", _("已撤下")
        DISCARDED = "discarded", _("已作废")

    class Consent(models.TextChoices):
        PENDING = "pending", _("待申报单位确认")
        GIVEN = "given", _("申报单位同意发布")
        REFUSED = "refused", _("申报单位不同意发布")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(
        Application, verbose_name=_("入选项目"), on_delete=models.PROTECT, related_name="cases"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # Optimistic lock: every edit names the version it was based on.
    version = models.PositiveIntegerField(default=1)
    # The reason given with the last transition that needed one (return, unpublish, discard).
    state_reason = models.TextField(_("说明"), blank=True)

    # Where the case belongs, from its application (public filters).
    year = models.PositiveIntegerField(_("年度"), db_index=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("工程类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="+"
    )
    # The prefecture city; empty for provincial units and provincial SOEs (shown as 省级).
    city = models.ForeignKey(
        Region,
        verbose_name=_("设区市"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    title = models.CharField(_("案例标题"), max_length=128)
    summary = models.TextField(_("案例简介"), max_length=500)
    problem = models.TextField(_("面临的问题"))
    solution = models.TextField(_("解决方案"))
    technologies = models.CharField(_("应用技术"), max_length=300, blank=True)
    results = models.TextField(_("应用成效"), blank=True)

    search_title = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    content_digest = models.CharField(max_length=64, editable=False, blank=True)

    consent = models.CharField(
        _("申报单位意见"), max_length=16, choices=Consent.choices, default=Consent.PENDING
    )
    consent_note = models.TextField(_("申报单位说明"), blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    consent_digest = models.CharField(max_length=64, editable=False, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("最后修改"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            # One live case per project: a discarded case makes room for a new one.
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(state="discarded"),
                name="case_one_live_per_application",
            )
        ]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self):
        return self.title

    @property
    def city_label(self):
        return self.city.name if self.city_id else str(_("省级"))

    @property
    def consent_valid(self):
        """The applicant agreed to exactly what the case says now."""
        return self.consent == self.Consent.GIVEN and self.consent_digest == self.content_digest

    @property
    def is_public(self):
        return self.state == self.State.PUBLISHED

    @property
    def is_editable(self):
        return self.state == self.State.DRAFT


class Figure(models.Model):
    """One result in figures (指标, 数值, 单位), e.g. 服务人次 1200 万."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(_("指标"), max_length=40)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("成效数据")
        verbose_name_plural = _("成效数据")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.label} {self.shown_value}{self.unit}"

    @property
    def shown_value(self) -> str:
        """1200.00 → "1200", 12.50 → "12.5": the figure as a person writes it."""
        text = format(self.value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text


def image_upload_to(instance, filename):
    # A random name: the uploader's file name never reaches the disk.
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}{instance.extension}"


class Image(models.Model):
    """A picture of the case, re-encoded on upload (images.py): no metadata, bounded size."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_upload_to, max_length=200)
    caption = models.CharField(
        _("图片说明"), max_length=120, help_text=_("供读屏软件和打印稿使用，说明图片内容。")
    )
    content_type = models.CharField(max_length=32)
    extension = models.CharField(max_length=8)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    order = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("案例图片")
        verbose_name_plural = _("案例图片")
        ordering = ["order", "uploaded_at"]

    def __str__(self):
        return self.caption


def collection_upload_to(instance, filename):
    return f"cases/collections/{instance.year}/{uuid.uuid4().hex}.pdf"


class Collection(models.Model):
    """The yearly collection (案例汇编) of published cases as one PDF, rendered in the
    background (tasks.py). `generation` counts the requests: only the newest request's
    rendering may become the stored file."""

    class State(models.TextChoices):
        PENDING = "pending", _("正在生成")
        READY = "ready", _("已生成")
        FAILED = "failed", _("生成失败")

    year = models.PositiveIntegerField(_("年度"), unique=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING)
    generation = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=collection_upload_to, max_length=200, blank=True)
    case_count = models.PositiveIntegerField(_("案例数"), default=0)
    requested_at = models.DateTimeField(_("请求时间"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度案例汇编")
        verbose_name_plural = _("年度案例汇编")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}"

    @property
    def has_file(self):
        return bool(self.file)

    @property
    def job(self):
        """Its rendering for the shared progress partial (core/progress.py), polled on the
        office's case page after a case of the year is published or taken down."""
        state = {self.State.READY: progress.DONE, self.State.FAILED: progress.FAILED}
        done, links = "", ()
        if self.state == self.State.READY:
            done = _("共 %(n)d 个案例，生成于 %(at)s。") % {
                "n": self.case_count,
                "at": f"{china_time(self.rendered_at):%Y-%m-%d %H:%M}" if self.rendered_at else "",
            }
            if self.file:
                links = ((_("下载汇编 PDF"), reverse("cases:collection", args=[self.year])),)
        return progress.Job(
            state=state.get(self.state, progress.PENDING),
            title=_("%(year)d年典型案例汇编（PDF）") % {"year": self.year},
            started_at=self.requested_at,
            expected_seconds=90,  # "通常需要一两分钟" (collection_pending.html)
            detail=done,
            failed_text=_(
                "汇编生成失败；再次发布或撤下本年度任一案例会重新生成，或联系系统管理员。"
            ),
            poll_url=reverse("cases:collection_progress", args=[self.year]),
            links=links,
            element_id="collection-progress",
        )
