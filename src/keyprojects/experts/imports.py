"""Import the expert pool from XLSX through the shared import flow (keyprojects.imports).

Columns (first row is the header): 姓名, 工作单位, 统一社会信用代码, 所在设区市, 评审领域,
手机号码, 电子邮箱. 评审领域 lists categories by name or code (数字治理类、网络安全类, …).
Each expert gets an account whose login name is the e-mail address, and an e-mail with a
link to set the password; at the first login the expert sets up an authenticator app.
No password travels in files.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.audit.domain import event, record_many
from keyprojects.calls.models import Category
from keyprojects.core.crypto import digest
from keyprojects.imports.base import CREATED, Column, Importer, Written, register
from keyprojects.imports.mail import send_all
from keyprojects.orgs.credit_code import validate_credit_code
from keyprojects.orgs.domain import password_setting_link
from keyprojects.orgs.models import Region, User
from keyprojects.orgs.queries import cities_by_name

from .models import Expert

COLUMNS = ["姓名", "工作单位", "统一社会信用代码", "所在设区市", "评审领域", "手机号码", "电子邮箱"]
REQUIRED = COLUMNS
MAX_ROWS = 2000
PHONE = re.compile(r"^\+?[0-9][0-9\- ]{6,19}$")
SEPARATORS = re.compile(r"[、，,；;/\s]+")


def category_lookup() -> dict:
    """Every way a sheet may name a category (name, name without 类, code) → its code."""
    lookup = {}
    for code, name in Category.objects.values_list("code", "name").distinct():
        for key in {code, name, name.removesuffix("类")}:
            lookup[key.lower()] = code
    return lookup


class ExpertPool(Importer):
    key = "experts.pool"
    permission = "experts.import_pool"
    url_name = "experts:import"
    title = gettext_lazy("从 Excel 导入专家")
    file_label = gettext_lazy("专家名单（.xlsx）")
    sheet_title = gettext_lazy("专家")
    template_name = gettext_lazy("专家导入模板.xlsx")
    columns = [
        Column("姓名", gettext_lazy("专家姓名"), "张明"),
        Column("工作单位", gettext_lazy("单位全称"), "东南大学"),
        Column(
            "统一社会信用代码",
            gettext_lazy("工作单位的18位代码；用于回避本单位及合作单位的项目"),
            "123201004660123454",
        ),
        Column("所在设区市", gettext_lazy("江苏省设区市，如“徐州市”或“徐州”"), "南京市"),
        Column(
            "评审领域",
            gettext_lazy("工程类别，多个用顿号分隔，如“数字治理类、网络安全类”"),
            "数字治理类、网络安全类",
        ),
        Column("手机号码", gettext_lazy("手机或带区号的固定电话"), "13900000001"),
        Column("电子邮箱", gettext_lazy("专家的登录名，并接收设置密码的邮件"), "zhang@example.com"),
    ]
    preview_columns = ["姓名", "工作单位", "所在设区市", "评审领域", "电子邮箱"]
    max_rows = MAX_ROWS
    confirm_label = gettext_lazy("确认导入 %(n)d 名专家")
    done_message = gettext_lazy("已导入 %(n)d 名专家，并已发送设置密码的邮件。")
    clash_message = gettext_lazy("导入时发现电子邮箱已被占用，未导入任何行，请重新上传检查。")
    header_template = "experts/_import_header.html"
    notes_template = "experts/_import_notes.html"

    def prepare(self, rows):
        emails = [row["values"].get("电子邮箱", "").lower() for row in rows]
        # The pool's addresses are encrypted: found by their keyed digests (core/crypto.py).
        digests = {digest(e) for e in emails} - {""}
        in_pool = Expert.objects.filter(email_digest__in=digests).values_list("email", flat=True)
        return {
            "categories": category_lookup(),
            "cities": {key: city.code for key, city in cities_by_name().items()},
            "in_pool": {e.lower() for e in in_pool},
            "taken": set(
                User.objects.filter(username__in=emails).values_list("username", flat=True)
            ),
            "seen": set(),
        }

    def check_row(self, row, problems, context):
        v = row["values"]
        email = v["电子邮箱"].lower()
        problems.require(v, REQUIRED)
        if v["统一社会信用代码"]:
            try:
                validate_credit_code(v["统一社会信用代码"].upper())
            except ValidationError as error:
                problems.add(
                    "统一社会信用代码",
                    " ".join(error.messages),
                    _("请按工作单位的营业执照或登记证书填写"),
                )
        city = None
        if v["所在设区市"]:
            city = context["cities"].get(v["所在设区市"])
            if city is None:
                problems.add(
                    "所在设区市",
                    _("所在设区市“%(name)s”不是江苏省的设区市") % {"name": v["所在设区市"]},
                    _("请填写如“徐州市”或“徐州”"),
                )
        categories = _check_categories(v["评审领域"], problems, context["categories"])
        if v["手机号码"] and not PHONE.match(v["手机号码"]):
            problems.add("手机号码", _("手机号码格式不正确"), _("请填写手机号码或带区号的固定电话"))
        if email:
            _check_email(email, problems, context)
        return {"city": city, "categories": categories}

    def write(self, rows, *, batch, by):
        """Create an account and an expert for every good row, in bulk."""
        cities = Region.objects.filter(kind=Region.Kind.CITY).in_bulk()
        good = [row for row in rows if not row["errors"]]
        users = User.objects.bulk_create([_user(row) for row in good], batch_size=500)
        experts = Expert.objects.bulk_create(
            [_expert(row, user, cities) for row, user in zip(good, users, strict=True)],
            batch_size=500,
        )
        events = []
        for row, expert in zip(good, experts, strict=True):
            row["outcome"] = CREATED
            data = {"row": row["number"], "batch": str(batch.pk)}
            events.append(event("experts.expert", expert.pk, "import_expert", actor=by, data=data))
        record_many(events)
        return Written(experts)

    def after_import(self, written, *, batch, by, progress):
        send_all([_invitation(expert) for expert in written.objects], progress=progress)


def _user(row) -> User:
    v = row["values"]
    user = User(
        username=v["电子邮箱"].lower(),
        full_name=v["姓名"],
        email=v["电子邮箱"].lower(),
        phone=v["手机号码"],
    )
    user.set_unusable_password()
    return user


def _expert(row, user, cities) -> Expert:
    v, clean = row["values"], row["clean"]
    return Expert(
        user=user,
        name=v["姓名"],
        organisation_name=v["工作单位"],
        organisation_credit_code=v["统一社会信用代码"].upper(),
        city=cities.get(clean["city"]),
        category_codes=clean["categories"],
        phone=v["手机号码"],
        email=user.email,
    )


def _check_categories(value, problems, lookup) -> list[str]:
    names = [n for n in SEPARATORS.split(value) if n]
    unknown = [n for n in names if n.lower() not in lookup]
    if unknown:
        known = "、".join(sorted({key for key in lookup if key.endswith("类")}))
        problems.add(
            "评审领域",
            _("评审领域“%(names)s”不是工程类别（应为 %(known)s）")
            % {"names": "、".join(unknown), "known": known},
            _("多个类别用顿号分隔"),
        )
    return sorted({lookup[n.lower()] for n in names if n.lower() in lookup})


def _check_email(email, problems, context):
    if not problems.email("电子邮箱", email):
        return
    if email in context["in_pool"]:
        problems.add("电子邮箱", _("该专家已在专家库中（电子邮箱相同）"), _("请删除此行"))
    elif email in context["taken"]:
        problems.add(
            "电子邮箱",
            _("该电子邮箱已被其他账号用作登录名"),
            _("请换用专家的其他电子邮箱"),
        )
    if email in context["seen"]:
        problems.add("电子邮箱", _("电子邮箱在表中重复"), _("请删除重复的行"))
    context["seen"].add(email)


def _invitation(expert):
    user = expert.user
    link = password_setting_link(user, settings.SITE_URL)
    body = _(
        "%(name)s 专家：您已入选智慧江苏重点工程评审专家库，"
        "登录名为本邮箱地址（%(username)s）。"
        "请打开以下链接设置密码：\n%(link)s\n\n"
        "首次登录时须在手机上安装认证器应用（如 Google Authenticator、Microsoft Authenticator、"
        "FreeOTP 或支持 TOTP 的国产令牌应用）扫码绑定，并妥善保存系统给出的 10 个恢复码。"
    ) % {"name": expert.name, "username": user.username, "link": link}
    return _("智慧江苏重点工程评审专家账号"), body, user.email


POOL = register(ExpertPool())
