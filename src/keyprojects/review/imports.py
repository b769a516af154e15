"""Import reviewer accounts from an XLSX sheet, row by row, with a report of rejections.

Columns (first row is the header): 登录名, 姓名, 电子邮箱, 手机号码, 主管部门. Each new
account gets an e-mail with a link to set its own password; no password travels in files.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from keyprojects.audit.domain import record
from keyprojects.documents.sheets import read_sheet
from keyprojects.orgs.domain import password_setting_link
from keyprojects.orgs.models import Authority, User

COLUMNS = ["登录名", "姓名", "电子邮箱", "手机号码", "主管部门"]
MAX_ROWS = 2000


@dataclasses.dataclass
class Row:
    number: int
    values: dict
    errors: list


def read_rows(uploaded) -> list[Row]:
    return [Row(number, values, []) for number, values in read_sheet(uploaded, COLUMNS, MAX_ROWS)]


def check(rows: list[Row]) -> list[Row]:
    authorities = {a.name: a for a in Authority.objects.all()}
    taken = set(
        User.objects.filter(username__in=[r.values["登录名"] for r in rows]).values_list(
            "username", flat=True
        )
    )
    seen = set()
    for row in rows:
        v = row.values
        for column in ["登录名", "姓名", "电子邮箱", "主管部门"]:
            if not v[column]:
                row.errors.append(_("“%(column)s”不能为空") % {"column": column})
        if v["登录名"] in taken:
            row.errors.append(_("登录名已存在"))
        if v["登录名"] and v["登录名"] in seen:
            row.errors.append(_("登录名在表中重复"))
        seen.add(v["登录名"])
        if v["电子邮箱"]:
            try:
                validate_email(v["电子邮箱"])
            except ValidationError:
                row.errors.append(_("电子邮箱格式不正确"))
        if v["主管部门"] and v["主管部门"] not in authorities:
            row.errors.append(
                _("主管部门“%(name)s”不存在，请使用系统中的全称") % {"name": v["主管部门"]}
            )
        row.authority = authorities.get(v["主管部门"])
    return rows


def import_reviewers(rows: list[Row], *, by, site_url) -> list[User]:
    """Create an account for every row without errors and e-mail it a set-password link."""
    created = []
    with transaction.atomic():
        for row in rows:
            if row.errors:
                continue
            v = row.values
            user = User(
                username=v["登录名"],
                full_name=v["姓名"],
                email=v["电子邮箱"],
                phone=v["手机号码"],
                authority=row.authority,
            )
            user.set_unusable_password()
            user.save()
            record(user, "import_reviewer", actor=by, data={"authority": row.authority.name})
            created.append(user)
    for user in created:
        link = password_setting_link(user, site_url)
        send_mail(
            _("智慧江苏重点工程申报平台审核员账号"),
            _(
                "您的审核员账号（%(username)s，%(authority)s）已开通。请打开以下链接设置密码：\n%(link)s"
            )
            % {"username": user.username, "authority": user.authority, "link": link},
            None,
            [user.email],
            fail_silently=True,
        )
    return created
