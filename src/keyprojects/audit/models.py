import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One state change or notable action: who, when, on what, from what, to what, why.

    Rows are only ever added (the domain code never updates or deletes them), so the
    history of any object can be read back in order. Each row carries the SM3 hash of its
    content chained to the previous row's (chain.py), so a changed or removed row shows.
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=255)  # a pk, or a path
    action = models.CharField(_("动作"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    role = models.CharField(_("角色"), max_length=16, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    # The chain: position, the previous row's hash and this row's (SM3, hex).
    seq = models.BigIntegerField(_("序号"), unique=True, null=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["at"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.target_type}:{self.target_id} {self.action}"


class ChainHead(models.Model):
    """The end of the audit chain: appending locks this one row, so rows chain in order."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链末端")
        verbose_name_plural = _("审计链末端")

    def __str__(self):
        return f"{self.seq} {self.hash[:16]}"
