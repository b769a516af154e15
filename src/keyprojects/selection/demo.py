"""Demo data for selection: earlier years' key projects (tracked projects) to compare the
demo call with."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from keyprojects.core.clock import now
from keyprojects.core.demo import credit_code
from keyprojects.orgs.models import OFFICE_GROUP, Region
from keyprojects.tracking.models import TrackedProject

# (year offset before the call, name, applicant, its credit code's first 17 characters,
#  category, city, content, 万元)
PAST_PROJECTS = [
    (
        2,
        "沛县智慧农业大数据平台（一期）",
        "沛县大数据中心",
        "12320322MB1234560",
        "数字经济类",
        "徐州市",
        "建设农业物联网感知网络和农业大数据中心，汇聚全县耕地、墒情、气象和农资数据，"
        "建成智慧农业综合服务平台一期，服务全县种植大户和家庭农场。",
        Decimal("860.00"),
    ),
    (
        1,
        "苏州工业园区企业信用信息共享平台",
        "苏州工业园区企业发展服务中心",
        "12320594MB7654320",
        "数字治理类",
        "苏州市",
        "归集园区企业工商、税务、社保和司法信用信息，建设信用评价模型和信用修复服务，"
        "为行政审批和金融服务提供信用查询接口。",
        Decimal("1250.00"),
    ),
]

OFFICE_MODELS = {
    "formalcheck": ["view"],
    "similarpair": ["view"],
    "similarityrun": ["view"],
}


@transaction.atomic
def load_demo(call, today: dt.date) -> list[tuple[str, str, str]]:
    """Idempotent. Adds earlier key projects (one whose next phase resembles the demo's
    沛县 application); no new accounts."""
    for offset, name, applicant, code, category, city, content, amount in PAST_PROJECTS:
        TrackedProject.objects.get_or_create(
            year=call.year - offset,
            name=name,
            credit_code=credit_code(code),
            defaults={
                "applicant_name": applicant,
                "category_name": category,
                "city": Region.objects.get(kind=Region.Kind.CITY, name=city),
                "content": content,
                "informatisation_investment": amount,
                "source": TrackedProject.Source.IMPORTED,
                "created_at": now(),
            },
        )
    group, _created = Group.objects.get_or_create(name=OFFICE_GROUP)
    codenames = [
        f"{action}_{model}" for model, actions in OFFICE_MODELS.items() for action in actions
    ]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="selection", codename__in=codenames)
    )
    return []
