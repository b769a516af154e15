import uuid

import rules
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.core.fields import EncryptedCharField, EncryptedEmailField

from .credit_code import validate_credit_code


class Region(models.Model):
    """An administrative division of Jiangsu (GB/T 2260)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("设区市")
        DISTRICT = "district", _("市辖区")
        COUNTY = "county", _("县")
        COUNTY_CITY = "county_city", _("县级市")

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=32)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    established_on = models.DateField(_("设立日期"), null=True, blank=True)
    abolished_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self):
        if self.parent and self.parent.kind == self.Kind.CITY:
            return f"{self.parent.name}{self.name}"
        return self.name

    @property
    def is_county_level(self):
        return self.kind in {self.Kind.DISTRICT, self.Kind.COUNTY, self.Kind.COUNTY_CITY}


class Authority(models.Model):
    """A reviewing body: a city's or county's information authority, or a provincial
    department supervising provincial units and provincial SOEs."""

    class Kind(models.TextChoices):
        CITY = "city", _("设区市信息化主管部门")
        COUNTY = "county", _("县(市)信息化主管部门")
        DEPARTMENT = "department", _("省级部门")

    name = models.CharField(_("名称"), max_length=64, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("辖区"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("主管部门")
        verbose_name_plural = _("主管部门")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """An applicant organisation (申报单位); several user accounts may belong to it."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("县级以上行政部门")
        ENTERPRISE = "enterprise", _("企业")
        INSTITUTION = "institution", _("事业单位")
        SOCIAL = "social", _("社会团体")
        PROVINCIAL_UNIT = "provincial_unit", _("省级单位")
        PROVINCIAL_SOE = "provincial_soe", _("省属企业")

    PROVINCIAL_KINDS = {Kind.PROVINCIAL_UNIT, Kind.PROVINCIAL_SOE}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("单位名称"), max_length=128)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    kind = models.CharField(_("单位类型"), max_length=32, choices=Kind.choices)
    seat = models.ForeignKey(
        Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+"
    )
    supervising_department = models.ForeignKey(
        Authority,
        verbose_name=_("主管省级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Authority.Kind.DEPARTMENT},
        related_name="supervised_organisations",
    )
    address = models.CharField(_("通讯地址"), max_length=200)
    legal_representative = models.CharField(_("法定代表人"), max_length=32)
    contact_name = models.CharField(_("联系人"), max_length=32)
    contact_phone = EncryptedCharField(_("联系电话"), max_length=32)
    contact_email = EncryptedEmailField(_("电子邮箱"))
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报单位")
        verbose_name_plural = _("申报单位")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_provincial(self):
        return self.kind in self.PROVINCIAL_KINDS


class User(AbstractUser):
    """An account. An applicant's account belongs to exactly one organisation."""

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = EncryptedCharField(_("手机号码"), max_length=32, blank=True)
    # Set when someone else chose the password (the office in the admin): the user must
    # replace it before doing anything else (orgs/middleware.py).
    must_change_password = models.BooleanField(_("须修改初始密码"), default=False)
    # The province's identity provider's stable identifier (the ID token's `sub`) of this
    # person, set the first time they sign in with it (orgs/sso_accounts.py) or entered by
    # the administrator; unique, so one identity opens one account.
    sso_subject = models.CharField(
        _("统一身份认证标识"),
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text=_("政务服务统一身份认证账号的唯一标识（sub），首次统一身份认证登录时自动关联。"),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("所属主管部门（审核员）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewers",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # An account either applies for an organisation or reviews for an authority.
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True) | models.Q(authority__isnull=True),
                name="user_is_applicant_or_reviewer",
            )
        ]

    def has_perm(self, perm, obj=None):
        # Django lets an active superuser pass every check before asking a backend. The
        # administrator configures the platform (the admin site's model permissions) but
        # takes no part in a call (SPEC §2): the business permissions, declared with
        # django-rules in each app's rules.py, are decided by the rules for everyone.
        if self.is_superuser and rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.must_change_password = False  # the admin form sets it again where needed

    def __str__(self):
        return self.full_name or self.username


OFFICE_GROUP = "provincial_office"


class Invitation(models.Model):
    """An e-mail invitation for a colleague to join an organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("电子邮箱"))
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("邀请")
        verbose_name_plural = _("邀请")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"


class PasswordHistory(models.Model):
    """A user's earlier password hashes, so a new password cannot repeat a recent one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)  # the hash, as User.password
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"
