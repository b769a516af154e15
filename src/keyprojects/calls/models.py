import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.core.clock import china_time


class Call(models.Model):
    """One year's call (年度批次): its dates, thresholds, categories and form extras.

    Everything the notice fixes for a year lives here as data, so the next year's call
    needs no code change. All times are stored as instants and shown in China Standard
    Time; the window is [window_opens_at, window_closes_at).
    """

    year = models.PositiveIntegerField(_("年度"))
    slug = models.SlugField(_("网址标识"), unique=True, help_text=_("例如 2020"))
    title = models.CharField(_("标题"), max_length=128)
    notice_number = models.CharField(_("通知文号"), max_length=64, blank=True)
    notice_text = models.TextField(_("通知全文"), blank=True)
    requirements = models.TextField(_("建设要求"), blank=True)
    instructions = models.TextField(_("填报说明"), blank=True)
    is_published = models.BooleanField(_("已发布"), default=False)

    window_opens_at = models.DateTimeField(_("网上申报开始时间"))
    window_closes_at = models.DateTimeField(
        _("网上申报截止时间"), help_text=_("此刻起系统关闭，例如 7月20日24:00 即填 7月21日 00:00。")
    )
    recommendation_deadline = models.DateTimeField(_("推荐意见截止时间"))

    min_informatisation_investment = models.DecimalField(
        _("信息化投资下限（万元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("不含土建工程。"),
    )
    earliest_start = models.DateField(
        _("最早开工月份"), help_text=_("建设期不早于该月，填该月1日。")
    )
    nominal_period_months = models.PositiveSmallIntegerField(_("实施周期（月）"), default=24)
    period_tolerance_months = models.PositiveSmallIntegerField(
        _("实施周期容差（月）"),
        default=6,
        help_text=_("计划周期与实施周期相差超过此值时提示申报单位。"),
    )
    per_applicant_limit = models.PositiveSmallIntegerField(_("每个申报单位限报项目数"), default=2)
    required_attachment_kinds = models.JSONField(_("必须上传的附件类型"), default=list, blank=True)
    form_extras = models.JSONField(
        _("附加填报项"),
        default=list,
        blank=True,
        help_text=_(
            '列表，每项形如 {"key": "pilot_area", "label": "试点地区", '
            '"type": "text|textarea|integer|boolean", "required": true, "help": "…"}'
        ),
    )

    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    support_phone = models.CharField(_("技术支持电话"), max_length=32, blank=True)
    contact_address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("年度批次")
        verbose_name_plural = _("年度批次")
        ordering = ["-window_opens_at"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.window_opens_at and self.window_closes_at:
            if self.window_closes_at <= self.window_opens_at:
                raise ValidationError({"window_closes_at": _("截止时间必须晚于开始时间。")})
            if (
                self.recommendation_deadline
                and self.recommendation_deadline < self.window_closes_at
            ):
                raise ValidationError(
                    {"recommendation_deadline": _("推荐意见截止时间不能早于网上申报截止时间。")}
                )
        if self.earliest_start and self.earliest_start.day != 1:
            raise ValidationError({"earliest_start": _("请填写月份的第1天。")})
        from .domain import validate_form_extras

        validate_form_extras(self.form_extras)

    @property
    def last_day(self) -> dt.date:
        """The last calendar day (China time) on which applicants may still write."""
        return (china_time(self.window_closes_at) - dt.timedelta(microseconds=1)).date()


class Category(models.Model):
    """A project category (工程类别) of a call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=32)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("工程类别")
        verbose_name_plural = _("工程类别")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="category_code_unique_per_call")
        ]

    def __str__(self):
        return self.name


def material_upload_to(instance, filename):
    # A random name: the user's file name never reaches the file system.
    return f"materials/{instance.call_id}/{uuid.uuid4().hex}"


class CallMaterial(models.Model):
    """An extra downloadable file of a call, uploaded by the office in the admin."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("名称"), max_length=128)
    file = models.FileField(_("文件"), upload_to=material_upload_to)
    filename = models.CharField(_("下载文件名"), max_length=128)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title
