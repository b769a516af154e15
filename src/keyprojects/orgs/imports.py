"""The office imports applicant organisations (申报单位) from XLSX through the shared import
flow (keyprojects.imports).

A row is matched to an existing organisation by its credit code:
- a new code creates the organisation, and its contact e-mail is invited to create the
  organisation's first account (registration refuses a code that is already known);
- an organisation nobody has an account for yet is updated from the row: the office is
  then the only one who maintains it;
- an organisation with accounts maintains its own data (本单位 page): a row that would
  change it is refused, naming why; a row equal to it is skipped as unchanged.
Contact phone and e-mail go to the encrypted fields (SM4), as registration stores them.
"""

import re

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.audit.domain import event, record_many
from keyprojects.imports.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    Written,
    register,
)
from keyprojects.imports.mail import send_all

from .credit_code import normalise_credit_code, validate_credit_code
from .domain import INVITATION_SALT
from .models import Authority, Invitation, Organisation
from .queries import current_county_level_regions
from .signals import organisations_created

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{6,19}$")
DEPARTMENT = "主管省级部门"
# Column → (model field, maximum length).
TEXT = {
    "单位名称": ("name", 128),
    "通讯地址": ("address", 200),
    "法定代表人": ("legal_representative", 32),
    "联系人": ("contact_name", 32),
}
FIELDS = [
    "name",
    "kind",
    "seat_id",
    "supervising_department_id",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
]


class Organisations(Importer):
    key = "orgs.organisations"
    permission = "orgs.import_organisations"
    url_name = "orgs:import"
    title = gettext_lazy("导入申报单位")
    file_label = gettext_lazy("申报单位名单（.xlsx）")
    sheet_title = gettext_lazy("申报单位")
    template_name = gettext_lazy("申报单位导入模板.xlsx")
    columns = [
        Column("单位名称", gettext_lazy("单位全称，不超过128字"), "南京市玄武区数据局"),
        Column(
            "统一社会信用代码",
            gettext_lazy("18位，见营业执照或登记证书；已在平台的单位按此代码更新"),
            "123201004660123454",
        ),
        Column(
            "单位类型",
            gettext_lazy("县级以上行政部门、企业、事业单位、社会团体、省级单位、省属企业"),
            "县级以上行政部门",
        ),
        Column(
            "所在地区",
            gettext_lazy("注册地所在的县（市、区），如“南京市玄武区”“沛县”，或6位行政区划代码"),
            "南京市玄武区",
        ),
        Column(
            DEPARTMENT,
            gettext_lazy("省级单位、省属企业必填，如“省交通运输厅”；其他单位留空"),
            "",
            required=False,
            optional=True,
        ),
        Column("通讯地址", gettext_lazy("不超过200字"), "南京市玄武区北京东路41号"),
        Column("法定代表人", gettext_lazy("姓名"), "张三"),
        Column("联系人", gettext_lazy("姓名"), "李四"),
        Column("联系电话", gettext_lazy("手机或带区号的固定电话"), "025-83331234"),
        Column(
            "电子邮箱",
            gettext_lazy("联系人邮箱；新导入的单位将收到创建单位账号的邀请"),
            "lisi@example.com",
        ),
    ]
    preview_columns = ["单位名称", "统一社会信用代码", "单位类型", "所在地区", "联系人"]
    max_rows = 5000
    confirm_label = gettext_lazy("确认导入 %(n)d 家单位")
    done_message = gettext_lazy("已导入 %(n)d 家单位（新增或更新）。")
    clash_message = gettext_lazy(
        "导入时发现统一社会信用代码已被其他单位使用，未导入任何行，请重新上传检查。"
    )
    notes_template = "orgs/_import_notes.html"

    def prepare(self, rows):
        codes = {normalise_credit_code(row["values"].get("统一社会信用代码", "")) for row in rows}
        existing = Organisation.objects.filter(credit_code__in=codes).annotate(
            accounts=Count("users")
        )
        return {
            "existing": {org.credit_code: org for org in existing},
            "regions": _region_lookup(),
            "departments": dict(
                Authority.objects.filter(kind=Authority.Kind.DEPARTMENT).values_list("name", "pk")
            ),
            "kinds": _kinds(),
            "seen": {},
        }

    def check_row(self, row, problems, context):
        v = row["values"]
        problems.require(v, [c.name for c in self.columns if c.required])
        clean = {field: v[column][:limit] for column, (field, limit) in TEXT.items()}
        for column, (_field, limit) in TEXT.items():
            if len(v[column]) > limit:
                problems.add(
                    column,
                    _("超过 %(n)d 个字") % {"n": limit},
                    _("请缩短到 %(n)d 个字以内") % {"n": limit},
                )
        clean["credit_code"] = _credit_code(row, problems, context)
        clean["kind"] = _kind(v["单位类型"], problems, context)
        clean["seat_id"] = _seat(v["所在地区"], problems, context)
        clean["supervising_department_id"] = _department(
            v.get(DEPARTMENT, ""), clean["kind"], problems, context
        )
        clean["contact_phone"], clean["contact_email"] = v["联系电话"], v["电子邮箱"].lower()
        if v["联系电话"] and not PHONE.match(v["联系电话"]):
            problems.add("联系电话", _("联系电话格式不正确"), _("请填写手机号码或带区号的固定电话"))
        if v["电子邮箱"]:
            problems.email("电子邮箱", v["电子邮箱"])
        if not problems:
            _compare(clean, problems, context)
        return clean

    def write(self, rows, *, batch, by):
        """New organisations and their invitations in bulk, updates in bulk; one event per
        organisation written."""
        good = [row for row in rows if not row["errors"]]
        pks = [row["clean"]["existing"] for row in good if row["clean"]["existing"]]
        existing = {str(pk): o for pk, o in Organisation.objects.in_bulk(pks).items()}
        new, changed, invited, events = [], [], [], []
        for row in good:
            organisation, outcome = _apply(row["clean"], existing)
            row["outcome"] = outcome
            if outcome == UNCHANGED:
                continue
            (new if outcome == CREATED else changed).append(organisation)
            invite = "contact_email" in row["clean"]["changes"]  # new, or a new address
            if invite:
                invited.append(organisation)
            data = {"batch": str(batch.pk), "row": row["number"], "fields": row["clean"]["changes"]}
            if invite:
                data["invited"] = organisation.contact_email
            action = "import_create" if outcome == CREATED else "import_update"
            # The primary key is set on creation (uuid4), before the insert.
            events.append(event("orgs.organisation", organisation.pk, action, actor=by, data=data))
        Organisation.objects.bulk_create(new, batch_size=500)
        Organisation.objects.bulk_update(changed, FIELDS, batch_size=500)
        invitations = Invitation.objects.bulk_create(
            [Invitation(organisation=o, email=o.contact_email, invited_by=by) for o in invited],
            batch_size=500,
        )
        record_many(events)
        organisations_created.send(sender=Organisation, organisations=new)
        return Written(new + changed, {"invited": len(invitations)}, after=invitations)

    def after_import(self, written, *, batch, by, progress):
        address = settings.SITE_URL + reverse("orgs:accept_invitation", args=["TOKEN"])
        mails = [_invitation(invitation, address) for invitation in written.after]
        send_all(mails, progress=progress)


ORGANISATIONS = register(Organisations())


def _kinds() -> dict:
    """Each type by its Chinese name (the sheet's language, whatever the page's), its name
    in the page's language and its code."""
    kinds = {value: value for value in Organisation.Kind.values}
    kinds |= {str(label): value for value, label in Organisation.Kind.choices}
    with translation.override("zh-hans"):
        kinds |= {str(label): value for value, label in Organisation.Kind.choices}
    return kinds


def _region_lookup() -> dict:
    """Every way a row may name a county-level seat → its code (None if ambiguous)."""
    lookup = {}
    for region in current_county_level_regions():
        for key in {region.code, str(region), f"江苏省{region}"}:
            lookup[key] = region.code
        # A bare name is enough when no other current region has it (鼓楼区: 南京 and 徐州).
        lookup[region.name] = None if region.name in lookup else region.code
    return lookup


def _credit_code(row, problems, context):
    value = row["values"]["统一社会信用代码"]
    if not value:
        return None
    code = normalise_credit_code(value)
    try:
        validate_credit_code(code)
    except ValidationError as error:
        problems.add(
            "统一社会信用代码",
            error.messages[0],
            _("请按营业执照或登记证书填写18位代码"),
        )
        return None
    first = context["seen"].setdefault(code, row["number"])
    if first != row["number"]:
        problems.add(
            "统一社会信用代码",
            _("与本表第 %(n)d 行的统一社会信用代码相同") % {"n": first},
            _("同一单位只保留一行"),
        )
    return code


def _kind(value, problems, context):
    if not value:
        return None
    kind = context["kinds"].get(value)
    if kind is None:
        problems.add(
            "单位类型",
            _("单位类型“%(value)s”不正确") % {"value": value},
            _("应为：%(kinds)s") % {"kinds": "、".join(map(str, Organisation.Kind.labels))},
        )
    return kind


def _seat(value, problems, context):
    if not value:
        return None
    if value not in context["regions"]:
        problems.add(
            "所在地区",
            _("“%(value)s”不是江苏省现有的县（市、区）") % {"value": value},
            _("请填写如“南京市玄武区”“沛县”，或6位行政区划代码"),
        )
        return None
    code = context["regions"][value]
    if code is None:
        problems.add(
            "所在地区",
            _("江苏省有不止一个“%(value)s”") % {"value": value},
            _("请写上设区市，如“南京市%(value)s”") % {"value": value},
        )
    return code


def _department(value, kind, problems, context):
    if kind not in Organisation.PROVINCIAL_KINDS:
        return None  # as on the registration form: only provincial units have one
    if not value:
        problems.add(
            DEPARTMENT,
            _("省级单位、省属企业须填写主管省级部门"),
            _("填写主管部门全称，如“省交通运输厅”"),
        )
        return None
    department = context["departments"].get(value)
    if department is None:
        problems.add(
            DEPARTMENT,
            _("主管省级部门“%(value)s”不存在") % {"value": value},
            _("请使用系统中的全称，如“省交通运输厅”"),
        )
    return department


def _compare(clean, problems, context) -> None:
    """Which fields the row changes; refused for an organisation maintained by its own
    accounts."""
    organisation = context["existing"].get(clean["credit_code"])
    clean["existing"] = str(organisation.pk) if organisation else None
    if organisation is None:
        clean["changes"] = FIELDS
        return
    clean["changes"] = [f for f in FIELDS if _stored(organisation, f) != clean[f]]
    if clean["changes"] and organisation.accounts:
        problems.add(
            "统一社会信用代码",
            _("该单位已在平台注册（%(n)d 个账号），单位信息由其账号在“本单位”页维护，导入不能修改")
            % {"n": organisation.accounts},
            _("请删除此行，或请该单位自行更新"),
        )


def _stored(organisation, field):
    value = getattr(organisation, field)
    return value.lower() if field == "contact_email" else value


def _apply(clean, existing):
    """The organisation with the row's values (not saved), and what the row does to it."""
    if not clean["changes"]:
        return None, UNCHANGED
    organisation = existing.get(clean["existing"]) if clean["existing"] else None
    created = organisation is None
    if created:
        organisation = Organisation(credit_code=clean["credit_code"])
    for field in clean["changes"]:
        setattr(organisation, field, clean[field])
    return organisation, CREATED if created else UPDATED


def _invitation(invitation, address):
    token = signing.dumps(str(invitation.pk), salt=INVITATION_SALT)
    link = address.replace("TOKEN", token)
    context = {"invitation": invitation, "link": link, "days": settings.INVITATION_MAX_AGE_DAYS}
    subject = _("邀请您加入%(org)s的智慧江苏重点工程申报账号") % {
        "org": invitation.organisation.name
    }
    return subject, render_to_string("orgs/invitation_email.txt", context), invitation.email
