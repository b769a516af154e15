import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.models import Application
from keyprojects.calls.models import Call
from keyprojects.core.fields import DigestField, EncryptedCharField, EncryptedEmailField
from keyprojects.orgs.models import Region


class Expert(models.Model):
    """A member of the province's expert pool (专家库); reviews through a user account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="expert",
        null=True,
        blank=True,
    )
    name = models.CharField(_("姓名"), max_length=64)
    organisation_name = models.CharField(_("工作单位"), max_length=128)
    organisation_credit_code = models.CharField(
        _("工作单位统一社会信用代码"), max_length=18, db_index=True
    )
    city = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在设区市")
    )
    # Codes of the call categories the expert reviews (Category.code, stable across years).
    category_codes = models.JSONField(_("评审领域"), default=list)
    phone = EncryptedCharField(_("手机号码"), max_length=32)
    email = EncryptedEmailField(_("电子邮箱"))
    # HMAC-SM3 of the normalised values: exact searches and the import's duplicate check.
    phone_digest = DigestField(of="phone")
    email_digest = DigestField(of="email")
    is_active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.organisation_name}）"


class ReviewPlan(models.Model):
    """How a call's applications are reviewed by experts (per call, edited by the office)."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="review_plan")
    experts_per_application = models.PositiveSmallIntegerField(_("每个项目的评审专家数"), default=5)
    max_per_expert = models.PositiveSmallIntegerField(_("每位专家最多评审项目数"), default=20)
    # Blind review: experts never learn who else reviewed an application.
    blind = models.BooleanField(_("匿名评审"), default=True)
    # Optimistic lock for the office's plan form: a stale save is refused, not applied.
    version = models.PositiveIntegerField(default=1)
    # [{"code", "title", "weight", "max"}...]: the notice's requirements, each with a weight.
    rubric = models.JSONField(_("评分标准"), default=list)

    class Meta:
        verbose_name = _("专家评审方案")
        verbose_name_plural = _("专家评审方案")

    def __str__(self):
        return str(self.call)


class AssignmentRun(models.Model):
    """One computation of the assignment, kept so it can be explained and repeated."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignment_runs")
    parameters = models.JSONField(_("参数"), default=dict)
    result = models.JSONField(_("结果摘要"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("专家分配计算")
        verbose_name_plural = _("专家分配计算")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.call} · {self.created_at:%Y-%m-%d %H:%M}"


class Assignment(models.Model):
    """An expert reviews an application."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="expert_assignments"
    )
    run = models.ForeignKey(
        AssignmentRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    is_manual = models.BooleanField(_("人工调整"), default=False)
    # Which of the application's k places (ReviewPlan.experts_per_application) it fills:
    # set by assignment.py, unique per application, so no race puts k+1 experts on it.
    slot = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("分配时间"))

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "application"], name="one_assignment_per_expert_and_application"
            ),
            models.UniqueConstraint(
                fields=["application", "slot"],
                condition=models.Q(slot__isnull=False),
                name="one_assignment_per_application_slot",
            ),
            models.CheckConstraint(
                condition=models.Q(slot__isnull=True) | models.Q(slot__gte=1),
                name="assignment_slot_from_one",
            ),
        ]

    def __str__(self):
        return f"{self.expert} → {self.application}"


class ConflictDeclaration(models.Model):
    """A conflict of interest (回避) declared by the expert or added by the office.

    It names either one application or an organisation (by credit code): the expert is
    then barred from every application whose applicant or partner has that code. The rules
    that need no declaration (own organisation, partner, own city) are in conflicts.py.
    """

    class Source(models.TextChoices):
        EXPERT = "expert", _("专家申报")
        OFFICE = "office", _("省信息化办添加")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="declarations", verbose_name=_("专家")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflict_declarations",
        verbose_name=_("回避项目"),
    )
    organisation_credit_code = models.CharField(
        _("回避单位统一社会信用代码"), max_length=18, blank=True, db_index=True
    )
    organisation_name = models.CharField(_("回避单位名称"), max_length=128, blank=True)
    reason = models.TextField(_("回避理由"))
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("申报时间"))

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")
        ordering = ["-created_at"]
        constraints = [
            # Exactly one target: an application or an organisation's credit code.
            models.CheckConstraint(
                condition=(
                    models.Q(application__isnull=False, organisation_credit_code="")
                    | models.Q(application__isnull=True) & ~models.Q(organisation_credit_code="")
                ),
                name="declaration_names_one_target",
            )
        ]

    def __str__(self):
        return f"{self.expert} ⟂ {self.application or self.organisation_name}"

    @property
    def target(self):
        if self.application_id:
            return str(self.application)
        return f"{self.organisation_name}（{self.organisation_credit_code}）"
