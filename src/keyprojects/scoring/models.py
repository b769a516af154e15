import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.models import Application
from keyprojects.calls.models import Call, Category
from keyprojects.experts.models import Expert


class ReviewRound(models.Model):
    """One round of a call's expert review: 网评, 答辩评审 or 综合会审, in a set order.

    Scores belong to a round. The rubric is copied onto the round when it opens, so that a
    later change of the review plan never changes scores already given.
    """

    class Kind(models.TextChoices):
        ONLINE = "online", _("网评")
        DEFENCE = "defence", _("答辩评审")
        COMBINED = "combined", _("综合会审")

    class State(models.TextChoices):
        PLANNED = "planned", _("未开始")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="review_rounds", verbose_name=_("年度批次")
    )
    kind = models.CharField(_("评审方式"), max_length=16, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default="planned")
    deadline = models.DateTimeField(_("评分截止时间"), null=True, blank=True)
    rubric = models.JSONField(_("评分标准"), default=list, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    # Optimistic lock for what the office edits on the round (final list and minutes).
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(_("最后保存"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审轮次")
        verbose_name_plural = _("评审轮次")
        ordering = ["call", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="one_round_of_each_kind"),
            models.UniqueConstraint(fields=["call", "order"], name="one_round_per_position"),
        ]

    def __str__(self):
        return f"{self.call.title} · {self.get_kind_display()}"

    @property
    def is_scored(self):
        """Experts score in this round (the combined meeting records a list instead)."""
        return self.kind != self.Kind.COMBINED


class Tier(models.TextChoices):
    """The result tiers of the 2020 call (苏信息化办〔2021〕1号)."""

    KEY = "key", _("重点工程")
    FLAGSHIP = "flagship", _("标志性工程")


class RoundEntry(models.Model):
    """An application taken into a round: the defence shortlist, or the combined meeting's
    final list (with its tier)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="round_entries"
    )
    tier = models.CharField(_("结果"), max_length=16, choices=Tier.choices, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("入围项目")
        verbose_name_plural = _("入围项目")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application"], name="one_entry_per_round_and_application"
            )
        ]

    def __str__(self):
        return f"{self.round} · {self.application}"


class DefencePanel(models.Model):
    """A defence panel (答辩评审组) of one category: where and when it sits, who is on it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="panels")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("工程类别")
    )
    name = models.CharField(_("评审组名称"), max_length=64)
    place = models.CharField(_("地点"), max_length=200)
    date = models.DateField(_("日期"))
    experts = models.ManyToManyField(
        Expert, related_name="defence_panels", verbose_name=_("评审组专家")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("答辩评审组")
        verbose_name_plural = _("答辩评审组")
        ordering = ["date", "name"]

    def __str__(self):
        return f"{self.name}（{self.category.name}）"


class DefenceSlot(models.Model):
    """An applicant's time before a panel. Applicants see the slot, never the panel's names."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="slots")
    panel = models.ForeignKey(DefencePanel, on_delete=models.CASCADE, related_name="slots")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="defence_slots"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("答辩安排")
        verbose_name_plural = _("答辩安排")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application"], name="one_slot_per_round_and_application"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.application} @ {self.panel}"


class Score(models.Model):
    """One expert's score of one application in one round: a draft until submitted, then
    locked (the office may reopen it with a reason)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    class Source(models.TextChoices):
        EXPERT = "expert", _("专家在线评分")
        PAPER = "paper", _("纸质评分表代录")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="scores")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="scores")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="expert_scores"
    )
    # {criterion code: "12.50"}: Decimal as text, so no float ever touches a score.
    items = models.JSONField(_("分项得分"), default=dict)
    comments = models.JSONField(_("分项意见"), default=dict)
    opinion = models.TextField(_("评审意见"), blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default="draft")
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default="expert")
    version = models.PositiveIntegerField(default=1)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(_("最后保存"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "expert", "application"],
                name="one_score_per_expert_and_application",
            )
        ]

    def __str__(self):
        return f"{self.expert.name} · {self.application}"

    @property
    def is_submitted(self):
        return self.state == self.State.SUBMITTED
