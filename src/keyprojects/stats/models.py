"""Funding priority (专项资金优先支持): the office's mark on a selected key project.

The statistics themselves are computed from the applications (queries.py) and store nothing.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.models import Application


class FundingPriority(models.Model):
    """One selected application marked for priority support from the provincial special fund.

    The row stays when the mark is removed (`unmarked_at` set, with the reason), so a later
    mark of the same project continues the same record and its audit trail. Changes go
    through stats.domain only, which checks the rules (selected project, 0 < amount ≤ total
    investment), the optimistic-lock `version`, and records an event.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.OneToOneField(
        Application,
        verbose_name=_("申报项目"),
        on_delete=models.PROTECT,
        related_name="funding_priority",
    )
    amount = models.DecimalField(
        _("支持金额（万元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    note = models.TextField(_("备注"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("标记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("标记时间"))
    unmarked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("取消人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unmarked_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    unmark_reason = models.TextField(_("取消理由"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("专项资金优先支持")
        verbose_name_plural = _("专项资金优先支持")
        ordering = ["-marked_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="funding_priority_amount_positive"
            ),
            # A removed mark always says why.
            models.CheckConstraint(
                condition=Q(unmarked_at__isnull=True) | ~Q(unmark_reason=""),
                name="funding_priority_unmark_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.amount}"

    @property
    def is_marked(self):
        return self.unmarked_at is None
