import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.models import Application
from keyprojects.calls.models import Call
from keyprojects.core import progress


class FormalCheck(models.Model):
    """The office's checklist (形式审查) of one recommended application, and its verdict.

    `items` keeps, per checklist item, what the automatic check found when the office saved
    and what the office ruled, so a later reader sees where the office overrode the machine.
    The status change itself is a transition of the application workflow (pass_check,
    fail_check, return_to_authority); `version` guards against two office users saving
    over each other.
    """

    class Verdict(models.TextChoices):
        NONE = "", _("未结论")
        PASS = "pass", _("通过")
        FAIL = "fail", _("不通过")
        RETURN = "return", _("退回推荐单位")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.OneToOneField(
        Application,
        verbose_name=_("申报项目"),
        on_delete=models.CASCADE,
        related_name="formal_check",
    )
    items = models.JSONField(_("审查要点"), default=list, blank=True)
    notes = models.TextField(_("审查备注"), blank=True)
    verdict = models.CharField(
        _("审查结论"), max_length=8, choices=Verdict.choices, blank=True, default=""
    )
    reason = models.TextField(_("理由"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("形式审查")
        verbose_name_plural = _("形式审查")

    def __str__(self):
        return f"{self.application} · {self.get_verdict_display()}"

    def failed_items(self):
        return [item for item in self.items if item.get("result") == "fail"]


class SimilarityRun(models.Model):
    """One computation of a call's similarity index, run by a background task."""

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("计算中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("计算失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="similarity_runs")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("发起时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    documents = models.PositiveIntegerField(_("比对文本数"), default=0)
    pairs = models.PositiveIntegerField(_("疑似对数"), default=0)
    seconds = models.FloatField(_("耗时（秒）"), null=True, blank=True)

    class Meta:
        verbose_name = _("相似度计算")
        verbose_name_plural = _("相似度计算")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.call} · {self.get_state_display()}"

    @property
    def job(self):
        """This run for the shared progress partial (core/progress.py), polled while it runs."""
        page = reverse("selection:duplicates", args=[self.call.slug])
        detail = ""
        if self.state == self.State.DONE:
            detail = _("比对 %(d)d 个文本（含往年重点工程），检出 %(p)d 对，用时 %(s).1f 秒。") % {
                "d": self.documents,
                "p": self.pairs,
                "s": self.seconds or 0,
            }
        return progress.Job(
            state=self.state,  # the same four names as core.progress
            title=_("相似度计算"),
            started_at=self.requested_at,
            detail=detail,
            failed_text=_("计算失败，请点“重新计算”；如仍失败请联系系统管理员。"),
            poll_url=reverse("selection:similarity_progress", args=[self.call.slug]),
            links=((_("刷新本页查看结果"), page),),
            element_id="similarity-progress",
        )


class SimilarPair(models.Model):
    """An application suspected to duplicate another of the call or an earlier key project.

    Scores are similarities in [0, 1] (not money, so floats). The office rules on a pair;
    a later computation keeps that ruling.
    """

    class Verdict(models.TextChoices):
        NONE = "", _("待判断")
        DUPLICATE = "duplicate", _("确属重复或续期")
        NOT_DUPLICATE = "not_duplicate", _("不是重复")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="similar_pairs")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="similar_pairs"
    )
    other_application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    past_project = models.ForeignKey(
        "tracking.TrackedProject",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pairs",
    )
    estimated_jaccard = models.FloatField(_("估计相似度"))
    jaccard = models.FloatField(_("内容相似度"))
    name_jaccard = models.FloatField(_("名称相似度"))
    shared_parties = models.JSONField(_("共同的单位"), default=list, blank=True)
    continuation = models.BooleanField(_("疑似续期项目"), default=False)
    continuation_terms = models.JSONField(_("续期用语"), default=list, blank=True)
    passages = models.JSONField(_("相同段落"), default=list, blank=True)
    found_at = models.DateTimeField(_("检出时间"))
    current = models.BooleanField(_("最近一次计算仍检出"), default=True)
    verdict = models.CharField(
        _("判断"), max_length=16, choices=Verdict.choices, blank=True, default=""
    )
    verdict_note = models.CharField(_("说明"), max_length=500, blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verdict_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("疑似重复")
        verbose_name_plural = _("疑似重复")
        ordering = ["-jaccard"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(other_application__isnull=False) & Q(past_project__isnull=True))
                | (Q(other_application__isnull=True) & Q(past_project__isnull=False)),
                name="pair_has_exactly_one_other_side",
            ),
            models.UniqueConstraint(
                fields=["application", "other_application"], name="one_pair_per_applications"
            ),
            models.UniqueConstraint(
                fields=["application", "past_project"], name="one_pair_per_past_project"
            ),
        ]

    def __str__(self):
        return f"{self.application} ↔ {self.other}"

    @property
    def other(self):
        return self.other_application or self.past_project

    @property
    def score(self):
        return max(self.jaccard, self.name_jaccard)
