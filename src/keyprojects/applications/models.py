import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.calls.models import Call, Category
from keyprojects.core.fields import EncryptedCharField, EncryptedEmailField
from keyprojects.orgs.credit_code import validate_credit_code
from keyprojects.orgs.models import Authority, Organisation

from .workflow import EDITABLE, PROVINCIAL_STAGES, Status


def money_field(verbose_name, **kwargs):
    """Money in 万元 with two decimals; never a float."""
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        **kwargs,
    )


class Technology(models.TextChoices):
    FIVE_G = "5g", _("5G")
    AI = "ai", _("人工智能")
    BIG_DATA = "big_data", _("大数据")
    CLOUD = "cloud", _("云计算")
    IOT = "iot", _("物联网")
    BLOCKCHAIN = "blockchain", _("区块链")
    OTHER = "other", _("其他")


class ManagementSystem(models.TextChoices):
    LEGAL_PERSON = "legal_person", _("法人负责制")
    TENDERING = "tendering", _("招投标制")
    SUPERVISION = "supervision", _("工程监理制")


class SecurityLevel(models.TextChoices):
    NONE = "none", _("未定级")
    LEVEL_1 = "1", _("第一级")
    LEVEL_2 = "2", _("第二级")
    LEVEL_3 = "3", _("第三级")
    LEVEL_4 = "4", _("第四级")


class PartnerRole(models.TextChoices):
    DEVELOPER = "developer", _("开发单位")
    USER = "user", _("应用单位")


class Application(models.Model):
    """One project applied for in one call (申报表). Blank fields are allowed while it is a
    draft; domain.submission_problems() says what a submit still needs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(
        Call, verbose_name=_("年度批次"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("申报单位"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Optimistic lock: every save must name the version it was based on.
    version = models.PositiveIntegerField(default=1)
    editor_token = models.CharField(max_length=32, blank=True)
    # How many edits the editing tab had counted when it saved: one tab's saves may arrive
    # out of order (a save sent as the page is left overtakes one still on its way).
    editor_seq = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后保存"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Which of its organisation's places under the call's per-applicant limit it holds
    # (1…limit) while it counts towards the limit; empty otherwise. Set by domain.submit,
    # cleared by workflow.perform; the unique constraint lets no two hold one place.
    limit_slot = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Set on submit from the applicant's seat (orgs.routing): who reviews it, who gets a copy.
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("审核推荐部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routed_applications",
    )
    copy_authority = models.ForeignKey(
        Authority,
        verbose_name=_("抄报部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copied_applications",
    )

    # 一、项目基本情况
    name = models.CharField(_("项目名称"), max_length=128, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("工程类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.CharField(_("项目简介（一句话）"), max_length=200, blank=True)
    construction_content = models.TextField(_("建设内容"), blank=True)
    innovation = models.TextField(_("创新点"), blank=True)
    technologies = models.JSONField(_("应用的新一代信息技术"), default=list, blank=True)
    technologies_other = models.CharField(_("其他技术"), max_length=100, blank=True)
    core_technology = models.TextField(_("自主研发关键核心技术"), blank=True)
    domestic_products = models.TextField(_("采用的国产化产品、软件、工具和装备"), blank=True)
    security_level = models.CharField(
        _("网络安全等级保护级别"), max_length=8, choices=SecurityLevel.choices, blank=True
    )
    security_protection = models.TextField(_("网络与信息安全防护措施"), blank=True)
    problems_solved = models.TextField(_("解决的难点痛点问题"), blank=True)
    users_served = models.CharField(_("服务用户规模"), max_length=100, blank=True)
    economic_benefit = models.TextField(_("经济效益"), blank=True)
    social_benefit = models.TextField(_("社会效益"), blank=True)
    promotion_prospects = models.TextField(_("推广前景"), blank=True)
    in_it_plan = models.BooleanField(_("已纳入本地或本系统信息化发展规划"), null=True, blank=True)
    it_plan_name = models.CharField(_("规划名称"), max_length=200, blank=True)
    approval_document_no = models.CharField(_("立项批复文号"), max_length=100, blank=True)
    management_systems = models.JSONField(_("实行的项目管理制度"), default=list, blank=True)

    # 二、投资与进度（万元）
    total_investment = money_field(_("总投资（万元）"))
    civil_works_investment = money_field(_("其中：土建工程投资（万元）"))
    funding_sources = models.TextField(_("资金来源"), blank=True)
    investment_completed = money_field(_("已完成投资（万元）"))
    start_month = models.DateField(_("开工时间"), null=True, blank=True)
    planned_completion_month = models.DateField(_("计划完成时间"), null=True, blank=True)

    # 三、申报单位联系人
    contact_name = models.CharField(_("项目联系人"), max_length=32, blank=True)
    contact_phone = EncryptedCharField(_("联系电话"), max_length=32, blank=True)
    contact_email = EncryptedEmailField(_("电子邮箱"), blank=True)

    # 四、合作建设
    is_cooperative = models.BooleanField(_("合作建设项目"), default=False)
    applicant_role = models.CharField(
        _("本单位角色"), max_length=16, choices=PartnerRole.choices, blank=True
    )
    ownership_statement = models.TextField(_("项目权属或工作分工"), blank=True)

    # 五、声明
    declares_whole_project = models.BooleanField(
        _("本项目以整体项目申报，不属于续期建设项目"), default=False
    )
    declares_truthful = models.BooleanField(_("所填信息及上传材料真实、准确、完整"), default=False)

    extras = models.JSONField(_("附加填报项"), default=dict, blank=True)
    # The organisation as it was when submitted, so the 申报书 stays true to the submit.
    applicant_snapshot = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("申报项目")
        verbose_name_plural = _("申报项目")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["call", "organisation", "status"]),
            # A reviewer's queue (its own applications and the copies of its counties) and
            # the office's list of recommended ones, counted and paged from the index alone
            # at province scale (bench/bench_lists.py). The id ends each index so that a
            # page's ids are sorted without reading the rows, whose long texts span pages.
            models.Index(
                fields=["authority", "call", "status", "organisation", "submitted_at", "id"],
                name="queue_by_authority",
            ),
            models.Index(
                fields=["copy_authority", "call", "status", "organisation", "submitted_at", "id"],
                name="queue_by_copy_authority",
            ),
            models.Index(
                fields=["call", "status", "authority", "submitted_at", "id"],
                name="recommended_by_call",
            ),
        ]
        constraints = [
            # The per-applicant limit in the database: each counted application holds its
            # own numbered place, so two racing submits cannot both take the last one.
            models.UniqueConstraint(
                fields=["call", "organisation", "limit_slot"],
                condition=models.Q(limit_slot__isnull=False),
                name="one_application_per_limit_slot",
            ),
            models.CheckConstraint(
                condition=models.Q(limit_slot__isnull=True) | models.Q(limit_slot__gte=1),
                name="limit_slot_from_one",
            ),
        ]

    def __str__(self):
        return self.name or str(_("（未命名项目）"))

    def get_status_display(self):
        # Django's own rebuilds and translates every choice on each call (0.2 ms; the lists
        # call it for each row).
        try:
            return str(Status(self.status).label)
        except ValueError:
            return self.status

    @property
    def informatisation_investment(self):
        """信息化投资 = 总投资 − 土建; None until both are known."""
        if self.total_investment is None or self.civil_works_investment is None:
            return None
        return self.total_investment - self.civil_works_investment

    @property
    def is_editable_status(self):
        return self.status in EDITABLE

    @property
    def status_shown_to_applicant(self):
        """The province's internal steps read as 已推荐 until the call's final list is settled
        (`outcome_final`, set by applications.queries where applicants read their own)."""
        if self.status in PROVINCIAL_STAGES and not getattr(self, "outcome_final", False):
            return Status.RECOMMENDED
        return Status(self.status)


class Partner(models.Model):
    """A cooperating organisation of a cooperative project."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    role = models.CharField(_("角色"), max_length=16, choices=PartnerRole.choices)
    name = models.CharField(_("单位名称"), max_length=128)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, validators=[validate_credit_code]
    )
    work_division = models.CharField(_("承担的工作"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.get_role_display()}：{self.name}"


class AttachmentKind(models.TextChoices):
    APPROVAL = "approval", _("立项批复文件")
    TENDER_CONTRACT = "tender_contract", _("招投标及合同文件")
    ACCEPTANCE = "acceptance", _("验收或测试报告")
    IP_PROOF = "ip_proof", _("知识产权证明")
    OTHER = "other", _("其他材料")


def attachment_upload_to(instance, filename):
    # Random name under a date folder: the user's file name never reaches the disk.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("附件类型"), max_length=32, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
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
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return self.original_name
