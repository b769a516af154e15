"""Import the expert pool from an XLSX sheet, row by row, with a report of rejected rows.

Columns (first row is the header): 姓名, 工作单位, 统一社会信用代码, 所在设区市, 评审领域,
手机号码, 电子邮箱. 评审领域 lists categories by name or code (数字治理类、网络安全类, …).
Each expert gets an account whose login name is the e-mail address, and an e-mail with a
link to set the password; at the first login the expert sets up an authenticator app.
No password travels in files.
"""

import dataclasses
import re

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from keyprojects.audit.domain import record
from keyprojects.calls.models import Category
from keyprojects.core.crypto import digest
from keyprojects.documents.sheets import read_sheet
from keyprojects.orgs.credit_code import validate_credit_code
from keyprojects.orgs.domain import password_setting_link
from keyprojects.orgs.models import Region, User

from .models import Expert

COLUMNS = ["姓名", "工作单位", "统一社会信用代码", "所在设区市", "评审领域", "手机号码", "电子邮箱"]
REQUIRED = COLUMNS
MAX_ROWS = 2000
PHONE = re.compile(r"^\+?[0-9][0-9\- ]{6,19}$")
SEPARATORS = re.compile(r"[、，,；;/\s]+")


@dataclasses.dataclass
class Row:
    number: int
    values: dict
    errors: list
    city: Region | None = None
    categories: list = dataclasses.field(default_factory=list)


def read_rows(uploaded) -> list[Row]:
    return [Row(number, values, []) for number, values in read_sheet(uploaded, COLUMNS, MAX_ROWS)]


def category_lookup() -> dict:
    """Every way a sheet may name a category (name, name without 类, code) → its code."""
    lookup = {}
    for code, name in Category.objects.values_list("code", "name").distinct():
        for key in {code, name, name.removesuffix("类")}:
            lookup[key.lower()] = code
    return lookup


def city_lookup() -> dict:
    cities = Region.objects.filter(kind=Region.Kind.CITY)
    return {key: c for c in cities for key in {c.name, c.name.removesuffix("市")}}


def check(rows: list[Row]) -> list[Row]:
    categories, cities = category_lookup(), city_lookup()
    emails = [r.values["电子邮箱"].lower() for r in rows]
    # The pool's addresses are encrypted: found by their keyed digests (core/crypto.py).
    digests = {digest(e) for e in emails} - {""}
    in_pool = {
        e.lower()
        for e in Expert.objects.filter(email_digest__in=digests).values_list("email", flat=True)
    }
    taken = set(User.objects.filter(username__in=emails).values_list("username", flat=True))
    seen = set()
    for row in rows:
        v = row.values
        email = v["电子邮箱"].lower()
        for column in REQUIRED:
            if not v[column]:
                row.errors.append(_("“%(column)s”不能为空") % {"column": column})
        if v["统一社会信用代码"]:
            try:
                validate_credit_code(v["统一社会信用代码"].upper())
            except ValidationError as error:
                row.errors.append(" ".join(error.messages))
        if v["所在设区市"]:
            row.city = cities.get(v["所在设区市"])
            if row.city is None:
                row.errors.append(
                    _("所在设区市“%(name)s”不是江苏省的设区市") % {"name": v["所在设区市"]}
                )
        _check_categories(row, categories)
        if v["手机号码"] and not PHONE.match(v["手机号码"]):
            row.errors.append(_("手机号码格式不正确"))
        if email:
            _check_email(row, email, in_pool, taken, seen)
    return rows


def _check_categories(row, lookup):
    names = [n for n in SEPARATORS.split(row.values["评审领域"]) if n]
    unknown = [n for n in names if n.lower() not in lookup]
    if unknown:
        row.errors.append(
            _("评审领域“%(names)s”不是工程类别（应为 %(known)s）")
            % {"names": "、".join(unknown), "known": "、".join(sorted(set(_names(lookup))))}
        )
    row.categories = sorted({lookup[n.lower()] for n in names if n.lower() in lookup})


def _names(lookup):
    return [key for key in lookup if key.endswith("类")]


def _check_email(row, email, in_pool, taken, seen):
    try:
        validate_email(email)
    except ValidationError:
        row.errors.append(_("电子邮箱格式不正确"))
        return
    if email in in_pool:
        row.errors.append(_("该专家已在专家库中（电子邮箱相同）"))
    elif email in taken:
        row.errors.append(_("该电子邮箱已被其他账号用作登录名"))
    if email in seen:
        row.errors.append(_("电子邮箱在表中重复"))
    seen.add(email)


def import_experts(rows: list[Row], *, by, site_url) -> list[Expert]:
    """Create an expert and an account for every row without errors; e-mail a link."""
    created = []
    with transaction.atomic():
        for row in rows:
            if row.errors:
                continue
            v = row.values
            user = User(
                username=v["电子邮箱"].lower(),
                full_name=v["姓名"],
                email=v["电子邮箱"].lower(),
                phone=v["手机号码"],
            )
            user.set_unusable_password()
            user.save()
            expert = Expert.objects.create(
                user=user,
                name=v["姓名"],
                organisation_name=v["工作单位"],
                organisation_credit_code=v["统一社会信用代码"].upper(),
                city=row.city,
                category_codes=row.categories,
                phone=v["手机号码"],
                email=user.email,
            )
            record(expert, "import_expert", actor=by, data={"row": row.number})
            created.append(expert)
    for expert in created:
        _send_invitation(expert, site_url)
    return created


def _send_invitation(expert, site_url):
    user = expert.user
    link = password_setting_link(user, site_url)
    send_mail(
        _("智慧江苏重点工程评审专家账号"),
        _(
            "%(name)s 专家：您已入选智慧江苏重点工程评审专家库，"
            "登录名为本邮箱地址（%(username)s）。"
            "请打开以下链接设置密码：\n%(link)s\n\n"
            "首次登录时须在手机上安装认证器应用（如 Google Authenticator、Microsoft Authenticator、"
            "FreeOTP 或支持 TOTP 的国产令牌应用）扫码绑定，并妥善保存系统给出的 10 个恢复码。"
        )
        % {"name": expert.name, "username": user.username, "link": link},
        None,
        [user.email],
        fail_silently=True,
    )
