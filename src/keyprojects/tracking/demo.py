"""Demo data for tracking evaluation: a few key projects of 2016–2019 imported (one owned by
the demo applicant's organisation, one by the 苏州 demo organisation), the platform's
selected projects once a final list exists, and a round due in 30 days with one report
submitted and one evaluated. Built through the same functions the pages use; creates no
accounts."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from keyprojects.orgs.models import OFFICE_GROUP, User

from . import domain, imports, workflow
from .models import TrackingRound

ROUND_TITLE = "{year}年度智慧江苏重点工程跟踪评价（演示）"

# (year, name, category, city, 万元, owner's login or a fixed credit code)
PROJECTS = [
    (2018, "玄武区智慧社区综合服务平台", "数字治理类", "南京市", "680.00", "applicant"),
    (2019, "苏州高新区工业大数据平台", "数字经济类", "苏州", "1520.50", "applicant_sz"),
    (2017, "江苏省公共数据共享交换平台", "数字治理类", "", "3200.00", "113200000140000682"),
    (2016, "无锡市物联网感知城市示范工程", "数字基建类", "无锡市", "2450.00", "123202004662885536"),
]

REPORT = {
    "investment_completed": Decimal("520.00"),
    "milestones": "完成社区事件受理、网格巡查和居民服务三个子系统建设，2024年通过初步验收。",
    "users_and_results": (
        "覆盖全区59个社区，注册居民18万人，年受理事件4.2万件，平均办结时长缩短35%。"
    ),
    "problems": "部分社区终端老化；下一步推进与市一网统管平台对接。",
}
EVALUATION = {
    "on_schedule": "good",
    "on_schedule_remark": "按计划完成建设任务",
    "funds": "fairly_good",
    "funds_remark": "资金使用规范，个别支出凭证待补",
    "results": "good",
    "results_remark": "应用覆盖面广",
    "overall": "good",
    "remark": "建设成效明显，可作为典型案例推广。",
}


def _owner(login):
    return User.objects.filter(username=login, organisation__isnull=False).first()


def _rows():
    rows = []
    for number, (year, name, category, city, amount, owner) in enumerate(PROJECTS, start=2):
        user = _owner(owner) if not owner[0].isdigit() else None
        if not owner[0].isdigit() and user is None:
            continue  # the core demo's accounts are not there
        rows.append(
            {
                "number": number,
                "values": {
                    "年度": str(year),
                    "项目名称": name,
                    "申报单位": user.organisation.name if user else name[:6] + "建设单位",
                    "统一社会信用代码": user.organisation.credit_code if user else owner,
                    "工程类别": category,
                    "所在设区市": city,
                    "信息化投资（万元）": amount,
                },
            }
        )
    return rows


@transaction.atomic
def load_demo(today: dt.date) -> list[tuple[str, str, str]]:
    """Idempotent; returns the accounts it created (none)."""
    office = User.objects.filter(groups__name=OFFICE_GROUP, is_active=True).first()
    if office is None:
        return []
    group = Group.objects.get(name=OFFICE_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="tracking",
            codename__in=["view_trackedproject", "change_trackedproject"],
        )
    )
    batch = imports.preview_rows(_rows(), file_name="往年重点工程（演示）.xlsx", by=office)
    if batch.good_rows:
        imports.confirm(batch, by=office)
    else:
        batch.delete()  # everything is there already: no empty import in the list
    domain.track_all_selected(by=office)
    title = ROUND_TITLE.format(year=today.year)
    if not TrackingRound.objects.filter(title=title).exists():
        _round(title, today, office)
    return []


def _round(title, today, office):
    round_ = domain.open_round(
        title=title,
        period=f"{today.year}年度",
        due_on=today + dt.timedelta(days=30),
        instructions="请如实填报截至本年度末的建设进展，并上传验收报告或运行情况材料。",
        by=office,
    )
    reports = {
        r.project.name: r
        for r in round_.reports.select_related("project__organisation").filter(
            project__name__in=[PROJECTS[0][1], PROJECTS[1][1]]
        )
    }
    for index, name in enumerate([PROJECTS[0][1], PROJECTS[1][1]]):
        report = reports.get(name)
        if report is None or report.project.organisation is None:
            continue
        owner = report.project.organisation.users.first()
        if owner is None:
            continue
        report = workflow.submit(report, REPORT, by=owner, expected_version=report.version)
        if index == 1:
            workflow.evaluate(report, EVALUATION, by=office)
    return round_
