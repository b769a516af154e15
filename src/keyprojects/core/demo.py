"""Demo data for `make run`: a call open today and an account for every role."""

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from stdnum.cn import uscc

from keyprojects.calls.reference import call_spec, load_call
from keyprojects.core.clock import CHINA, china_midnight, now
from keyprojects.orgs.models import OFFICE_GROUP, Authority, Organisation, Region, User

DEMO_PASSWORD = "Jiangsu-demo-2026"


def credit_code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


DEMO_ORGANISATIONS = [
    # (credit code without check character, name, kind, seat, supervising department)
    (
        "91320102MA1XYW001",
        "南京玄武智慧城市科技有限公司",
        Organisation.Kind.ENTERPRISE,
        "320102",
        None,
    ),
    (
        "91320505MA1ABC112",
        "苏州高新数字产业发展有限公司",
        Organisation.Kind.ENTERPRISE,
        "320505",
        None,
    ),
    (
        "91320000MA1TGK223",
        "江苏省交通控股数字科技有限公司",
        Organisation.Kind.PROVINCIAL_SOE,
        "320106",
        "省交通运输厅",
    ),
]

DEMO_USERS = [
    # (username, full name, organisation index or None, role description)
    ("applicant", "王晓明", 0, "申报单位（南京市玄武区企业）"),
    ("applicant2", "李娜", 0, "同一申报单位的第二个账号"),
    ("applicant_sz", "陈刚", 1, "另一申报单位（苏州市虎丘区企业）"),
    ("applicant_soe", "赵磊", 2, "省属企业（主管部门：省交通运输厅）"),
]


@transaction.atomic
def load_demo(today: dt.date | None = None) -> list[tuple[str, str, str]]:
    """Idempotent; returns (username, password, role) for every demo account."""
    today = today or now().astimezone(CHINA).date()
    load_call(
        call_spec(),
        slug="demo",
        year=today.year,
        title=f"{today.year}年智慧江苏重点工程（演示批次）",
        notice_number="演示用，非正式通知",
        window_opens_at=china_midnight(today - dt.timedelta(days=7)),
        window_closes_at=china_midnight(today + dt.timedelta(days=22)),
        recommendation_deadline=china_midnight(today + dt.timedelta(days=33)),
        earliest_start=dt.date(today.year - 1, 1, 1),
    )
    organisations = []
    for first17, name, kind, seat, department in DEMO_ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            credit_code=credit_code(first17),
            defaults={
                "name": name,
                "kind": kind,
                "seat": Region.objects.get(code=seat),
                "supervising_department": (
                    Authority.objects.get(name=department) if department else None
                ),
                "address": f"{Region.objects.get(code=seat)}示范路1号",
                "legal_representative": "张建国",
                "contact_name": "王晓明",
                "contact_phone": "025-83000000",
                "contact_email": "contact@example.com",
            },
        )
        organisations.append(org)
    accounts = []
    for username, full_name, org_index, role in DEMO_USERS:
        _user(username, full_name=full_name, organisation=organisations[org_index])
        accounts.append((username, DEMO_PASSWORD, role))
    office = _user("office", full_name="省信息化办", is_staff=True)
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=["calls"]))
    office.groups.add(group)
    accounts.append(("office", DEMO_PASSWORD, "省信息化办（管理后台编辑年度批次）"))
    _user("admin", full_name="系统管理员", is_staff=True, is_superuser=True)
    accounts.append(("admin", DEMO_PASSWORD, "系统管理员"))
    return accounts


def _user(username, **fields):
    user, created = User.objects.update_or_create(
        username=username, defaults={"email": f"{username}@example.com", **fields}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user
