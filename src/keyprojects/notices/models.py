import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.models import Application
from keyprojects.calls.models import Call
from keyprojects.core.clock import china_midnight
from keyprojects.core.fields import EncryptedCharField, EncryptedEmailField


class Tier(models.Model):
    """A result tier of a call (e.g. 标志性工程, 重点工程), highest first by `order`.

    `max_count` is cumulative: it bounds the selected projects of this tier *and of every
    higher tier*, because a flagship project is also a key project (2020: 50 key projects,
    10 of them flagship → 标志性工程 max 10, 重点工程 max 50).
    """

    call = models.ForeignKey(
        Call, verbose_name=_("年度批次"), on_delete=models.CASCADE, related_name="tiers"
    )
    name = models.CharField(_("名称"), max_length=32)
    order = models.PositiveSmallIntegerField(_("顺序"), help_text=_("数字越小档次越高。"))
    max_count = models.PositiveSmallIntegerField(
        _("最多项目数"),
        null=True,
        blank=True,
        help_text=_("含所有更高档次的入选项目；留空表示不限。"),
    )

    class Meta:
        verbose_name = _("入选档次")
        verbose_name_plural = _("入选档次")
        ordering = ["call", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="tier_order_unique_per_call"),
            models.UniqueConstraint(fields=["call", "name"], name="tier_name_unique_per_call"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # Lowering a maximum below what is already selected would make the list invalid.
        if self.pk is None or self.max_count is None or self.call_id is None:
            return
        from .decisions import cumulative_count

        selected = cumulative_count(self.call, self.order)
        if selected > self.max_count:
            raise ValidationError(
                {
                    "max_count": _(
                        "已有 %(n)d 个项目入选本档次及更高档次，最多项目数不能少于该数。"
                    )
                    % {"n": selected}
                }
            )


class Decision(models.Model):
    """The office's decision on one application: its tier while selected, and why.

    The status itself lives on the application and changes only through
    applications.workflow.perform; this row keeps what the status cannot (the tier).
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="notice_decision"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    tier = models.ForeignKey(
        Tier, verbose_name=_("入选档次"), null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"))
    # Optimistic lock: a decision names the version the office member was looking at.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("遴选决定")
        verbose_name_plural = _("遴选决定")

    def __str__(self):
        return f"{self.application} · {self.tier or '—'}"


class PublicNotice(models.Model):
    """The public notice (公示) of a call's selected projects, then the final list."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("公示中")
        FINALISED = "finalised", _("名单已确定")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.OneToOneField(
        Call, verbose_name=_("年度批次"), on_delete=models.PROTECT, related_name="public_notice"
    )
    title = models.CharField(_("公示标题"), max_length=128)
    text = models.TextField(_("公示内容"))
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"), help_text=_("含当日，至当日24:00止。"))
    contact_name = models.CharField(_("联系人"), max_length=32)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    contact_address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("最后修改"), auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    # The final list as it stood when finalised: exports never drift from it.
    final_list = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on"]

    def __str__(self):
        return self.title

    @property
    def opens_at(self) -> dt.datetime:
        return china_midnight(self.starts_on)

    @property
    def closes_at(self) -> dt.datetime:
        """The end of the period: 24:00 of `ends_on`, China Standard Time."""
        return china_midnight(self.ends_on + dt.timedelta(days=1))

    @property
    def is_public(self):
        return self.state in {self.State.PUBLISHED, self.State.FINALISED}


def evidence_upload_to(instance, filename):
    # A random name: the filer's file name never reaches the disk.
    return f"objection-evidence/{instance.notice_id}/{uuid.uuid4().hex}{instance.extension}"


class Objection(models.Model):
    """An objection (异议) from the public against one project of a notice."""

    class State(models.TextChoices):
        RECEIVED = "received", _("已受理")
        INVESTIGATING = "investigating", _("调查核实中")
        ANSWERED = "answered", _("已答复")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("异议成立")
        NOT_UPHELD = "not_upheld", _("异议不成立")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(
        Application, verbose_name=_("异议项目"), on_delete=models.PROTECT, related_name="+"
    )
    receipt = models.CharField(_("回执号"), max_length=24, unique=True)
    reasons = models.TextField(_("异议事项及理由"))
    name = models.CharField(_("姓名或单位名称"), max_length=64)
    phone = EncryptedCharField(_("联系电话"), max_length=32, blank=True)
    email = EncryptedEmailField(_("电子邮箱"), blank=True)
    evidence = models.FileField(upload_to=evidence_upload_to, max_length=200, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    extension = models.CharField(max_length=8, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    filed_at = models.DateTimeField(_("提交时间"))

    state = models.CharField(
        _("办理状态"), max_length=16, choices=State.choices, default=State.RECEIVED
    )
    investigation = models.TextField(_("调查核实情况"), blank=True)
    outcome = models.CharField(_("处理结论"), max_length=16, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("答复意见"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project_withdrawn = models.BooleanField(_("已撤销该项目入选"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["filed_at"]

    def __str__(self):
        return self.receipt

    @property
    def is_open(self):
        return self.state != self.State.ANSWERED
