"""Access tokens of the systems that read the integration API (数据接口令牌).

A token is shown once, when it is issued; the database keeps only a keyed digest of it
(HMAC-SM3 with a key derived from SECRET_KEY, tokens.py), so a copy of the database does
not let anyone call the API. The prefix identifies a token in lists and logs.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyprojects.core.clock import now
from keyprojects.orgs.models import Authority


class Scope(models.TextChoices):
    """What a token may read; public resources need none."""

    PROJECTS_READ = "projects:read", _("读取已推荐及入选项目")
    TRACKING_READ = "tracking:read", _("读取跟踪评价进展报告")


class ApiToken(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("有效")
        EXPIRED = "expired", _("已过期")
        REVOKED = "revoked", _("已吊销")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("名称"), max_length=64, help_text=_("使用该令牌的系统及单位。"))
    # Null: province-wide (全省), which only the provincial office issues.
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("数据范围（主管部门）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_("留空表示全省范围。"),
    )
    scopes = models.JSONField(_("权限范围"), default=list)
    prefix = models.CharField(_("令牌前缀"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=now, editable=False)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("吊销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("数据接口令牌")
        verbose_name_plural = _("数据接口令牌")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="api_token_revocation_has_actor",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def state(self, at=None):
        if self.revoked_at is not None:
            return self.State.REVOKED
        if (at or now()) >= self.expires_at:
            return self.State.EXPIRED
        return self.State.ACTIVE

    @property
    def is_province_wide(self):
        return self.authority_id is None

    def scope_labels(self):
        labels = dict(Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]
