"""Demo experts for `make run`: six accounts across the four categories and six cities.

Each category is reviewed by three of them and none sits in a city of the demo applicants
(南京, 苏州, 徐州), so the demo plan (3 experts per application) can always be assigned.
Demo experts have no authenticator yet: at their first login they are taken to the set-up
page, scan the QR code with an authenticator app and keep the ten recovery codes.
"""

import datetime as dt

from django.db import transaction
from stdnum.cn import uscc

from keyprojects.applications.workflow import Status
from keyprojects.core.demo import DEMO_PASSWORD
from keyprojects.orgs.models import Region, User

from . import assignment
from .models import Expert

DEMO_EXPERTS = [
    # (username, name, organisation, credit code without check character, city, categories)
    ("expert_wx", "钱立新", "江南大学", "12320000466007AB1", "320200",
     ["digital_infrastructure", "digital_economy"]),
    ("expert_cz", "孙慧敏", "常州信息职业技术学院", "12320400466007AB2", "320400",
     ["digital_governance", "cybersecurity"]),
    ("expert_nt", "李国华", "南通大学", "12320600466007AB3", "320600",
     ["digital_infrastructure", "digital_governance"]),
    ("expert_yz", "周文博", "扬州大学", "12321000466007AB4", "321000",
     ["digital_economy", "cybersecurity"]),
    ("expert_zj", "吴海燕", "江苏科技大学", "12321100466007AB5", "321100",
     ["digital_infrastructure", "cybersecurity"]),
    ("expert_tz", "郑晓峰", "泰州学院", "12321200466007AB6", "321200",
     ["digital_economy", "digital_governance"]),
]  # fmt: skip

CATEGORY_NAMES = {
    "digital_infrastructure": "数字基建类",
    "digital_economy": "数字经济类",
    "digital_governance": "数字治理类",
    "cybersecurity": "网络安全类",
}


@transaction.atomic
def load_demo(call, today: dt.date | None = None) -> list[tuple[str, str, str]]:
    """Idempotent; returns (username, password, role) of every demo expert."""
    accounts = []
    for username, name, organisation, first17, city, categories in DEMO_EXPERTS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={"full_name": name, "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        region = Region.objects.get(code=city)
        Expert.objects.update_or_create(
            user=user,
            defaults={
                "name": name,
                "organisation_name": organisation,
                "organisation_credit_code": first17 + uscc.calc_check_digit(first17),
                "city": region,
                "category_codes": categories,
                "phone": "13900000000",
                "email": user.email,
            },
        )
        fields = "、".join(CATEGORY_NAMES[c] for c in categories)
        accounts.append(
            (
                username,
                DEMO_PASSWORD,
                f"评审专家（{region.name}，{fields}；首次登录须绑定手机认证器）",
            )
        )
    plan = assignment.plan_for(call)
    if not call.assignment_runs.exists():
        plan.experts_per_application, plan.max_per_expert = 3, 10
        plan.save(update_fields=["experts_per_application", "max_per_expert"])
        _assign(call)
    return accounts


def _assign(call):
    """Assign the applications that already passed the formal check, once."""
    office = User.objects.filter(username="office").first()
    if office is not None and call.applications.filter(status=Status.CHECK_PASSED).exists():
        assignment.run(call, by=office)
