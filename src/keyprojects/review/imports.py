"""Import reviewer accounts from XLSX through the shared import flow (keyprojects.imports).

Columns (first row is the header): 登录名, 姓名, 电子邮箱, 手机号码, 主管部门. Each new
account gets an e-mail with a link to set its own password; no password travels in files.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.audit.domain import event, record_many
from keyprojects.imports.base import CREATED, Column, Importer, Written, register
from keyprojects.imports.mail import send_all
from keyprojects.orgs.domain import password_setting_link
from keyprojects.orgs.models import Authority, User

COLUMNS = ["登录名", "姓名", "电子邮箱", "手机号码", "主管部门"]
MAX_ROWS = 2000


class ReviewerAccounts(Importer):
    key = "review.reviewers"
    permission = "review.import_reviewers"
    url_name = "review:import_reviewers"
    title = gettext_lazy("导入审核员账号")
    file_label = gettext_lazy("审核员名单（.xlsx）")
    sheet_title = gettext_lazy("审核员")
    template_name = gettext_lazy("审核员账号导入模板.xlsx")
    columns = [
        Column("登录名", gettext_lazy("字母、数字或 @.+-_，不能与已有账号重复"), "px_zhang"),
        Column("姓名", gettext_lazy("审核员姓名"), "张审核"),
        Column("电子邮箱", gettext_lazy("接收设置密码的邮件"), "zhang@example.com"),
        Column("手机号码", gettext_lazy("选填"), "13900000001", required=False),
        Column(
            "主管部门",
            gettext_lazy("系统中的全称，如“徐州市沛县信息化主管部门”“省交通运输厅”"),
            "徐州市沛县信息化主管部门",
        ),
    ]
    preview_columns = ["登录名", "姓名", "电子邮箱", "主管部门"]
    max_rows = MAX_ROWS
    confirm_label = gettext_lazy("确认导入 %(n)d 个审核员账号")
    done_message = gettext_lazy("已导入 %(n)d 个审核员账号，并已发送设置密码的邮件。")
    clash_message = gettext_lazy("导入时发现登录名已被占用，未导入任何行，请重新上传检查。")
    notes_template = "review/_import_notes.html"

    def prepare(self, rows):
        names = [row["values"].get("登录名", "") for row in rows]
        return {
            "authorities": {a.name: a.pk for a in Authority.objects.all()},
            "taken": set(
                User.objects.filter(username__in=names).values_list("username", flat=True)
            ),
            "seen": set(),
        }

    def check_row(self, row, problems, context):
        values = row["values"]
        problems.require(values, ["登录名", "姓名", "电子邮箱", "主管部门"])
        username = values["登录名"]
        if username in context["taken"]:
            problems.add("登录名", _("登录名已存在"), _("请换一个登录名"))
        if username and username in context["seen"]:
            problems.add("登录名", _("登录名在表中重复"), _("请删除重复的行或换一个登录名"))
        context["seen"].add(username)
        if values["电子邮箱"]:
            problems.email("电子邮箱", values["电子邮箱"])
        authority = context["authorities"].get(values["主管部门"])
        if values["主管部门"] and authority is None:
            problems.add(
                "主管部门",
                _("主管部门“%(name)s”不存在，请使用系统中的全称") % {"name": values["主管部门"]},
                _("如“徐州市沛县信息化主管部门”“省交通运输厅”"),
            )
        return {"authority": authority}

    def write(self, rows, *, batch, by):
        """Create an account for every good row (each sets its password from its mail)."""
        authorities = Authority.objects.in_bulk()
        created = []
        for row in rows:
            if row["errors"]:
                continue
            v = row["values"]
            user = User(
                username=v["登录名"],
                full_name=v["姓名"],
                email=v["电子邮箱"],
                phone=v["手机号码"],
                authority=authorities[row["clean"]["authority"]],
            )
            user.set_unusable_password()
            row["outcome"] = CREATED
            created.append(user)
        User.objects.bulk_create(created, batch_size=500)
        record_many(
            [
                event(
                    "orgs.user",
                    user.pk,
                    "import_reviewer",
                    actor=by,
                    data={"authority": user.authority.name, "batch": str(batch.pk)},
                )
                for user in created
            ]
        )
        return Written(created)

    def after_import(self, written, *, batch, by, progress):
        send_all(
            [_invitation(user) for user in written.objects],
            progress=progress,
        )


def _invitation(user):
    link = password_setting_link(user, settings.SITE_URL)
    subject = _("智慧江苏重点工程申报平台审核员账号")
    body = _(
        "您的审核员账号（%(username)s，%(authority)s）已开通。请打开以下链接设置密码：\n%(link)s"
    ) % {"username": user.username, "authority": user.authority, "link": link}
    return subject, body, user.email


REVIEWERS = register(ReviewerAccounts())
