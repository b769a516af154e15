"""Demo of a finished call: last year's key projects, selected and on the final list.

What comes after selection (typical cases, tracking evaluation, funding priority,
statistics) needs selected projects whose list is final. They are built through the same
domain functions the pages use: submitted while the window was open, recommended, passed
by the formal check, decided, publicly noticed and finalised; then the call's dates and
the notice's days are moved into last year.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from keyprojects.calls.models import Call
from keyprojects.calls.reference import call_spec, load_call
from keyprojects.notices import decisions, publication
from keyprojects.notices.models import PublicNotice
from keyprojects.notices.workdays import working_days_end
from keyprojects.orgs.models import User
from keyprojects.review import domain as review

from .clock import now
from .demo_selection import pass_formal_check

SLUG = "demo-completed"

PROJECTS = [
    # (applicant's login, project, category code, total investment in 万元, outcome,
    #  what it builds — each its own, so the duplicate check does not pair them by accident)
    (
        "applicant",
        "南京市“一网通办”政务服务平台",
        "digital_governance",
        "2300.00",
        "flagship",
        "整合全市46个部门的审批系统，建设统一受理、统一身份认证和电子证照库，"
        "实现企业开办、不动产登记等高频事项全程网办。",
    ),
    (
        "applicant",
        "玄武区数字孪生城市治理平台",
        "digital_infrastructure",
        "1650.00",
        "key",
        "以倾斜摄影和建筑信息模型构建玄武区三维底座，接入地下管网、路灯和井盖传感器，"
        "支撑城市部件巡检和防汛模拟推演。",
    ),
    (
        "applicant_sz",
        "苏州工业园区5G+工业互联网平台",
        "digital_economy",
        "3100.00",
        "key",
        "在园区部署5G专网和边缘计算节点，为电子制造和装备企业提供设备联网、"
        "工艺参数优化和产能共享服务。",
    ),
    (
        "applicant_soe",
        "江苏交通一张图综合管理平台",
        "digital_infrastructure",
        "2800.00",
        "key",
        "汇聚高速公路、普通国省道、航道和港口的基础数据与实时运行数据，"
        "形成全省交通基础设施一张图和运行监测大屏。",
    ),
    (
        "applicant_px",
        "沛县智慧养老服务平台",
        "digital_governance",
        "560.00",
        "key",
        "为全县独居和高龄老人配备智能手环和紧急呼叫终端，建设居家养老服务派单系统"
        "和养老机构监管模块。",
    ),
    (
        "applicant_px",
        "沛县农村电商公共服务平台",
        "digital_economy",
        "430.00",
        "not_selected",
        "建设县级电商公共服务中心线上平台，提供农产品品牌推广、物流配送调度和网店运营培训。",
    ),
]
REVIEWER_OF = {
    "applicant": "reviewer_nj",
    "applicant_sz": "reviewer_sz",
    "applicant_soe": "reviewer_jt",
    "applicant_px": "reviewer_px",
}


def load_completed_demo(today: dt.date) -> Call:
    """Idempotent; the finished call of last year."""
    return Call.objects.filter(slug=SLUG).first() or _completed_call(today)


@transaction.atomic
def _completed_call(today: dt.date) -> Call:
    from .demo import _submitted_application

    year = today.year - 1
    call = load_call(
        call_spec(),
        slug=SLUG,
        year=year,
        title=f"{year}年智慧江苏重点工程（演示：已完成的批次）",
        notice_number="演示用，非正式通知",
        # Open now, whatever `today` the caller passes; moved into last year at the end.
        window_opens_at=now() - dt.timedelta(days=1),
        window_closes_at=now() + dt.timedelta(days=1),
        recommendation_deadline=now() + dt.timedelta(days=2),
        earliest_start=dt.date(year - 1, 1, 1),
    )
    categories = {c.code: c for c in call.categories.all()}
    office = User.objects.get(username="office")
    flagship, key = decisions.create_default_tiers(call, by=office)
    tiers = {"flagship": flagship, "key": key}
    for username, name, category, total, outcome, content in PROJECTS:
        user = User.objects.get(username=username)
        total = Decimal(total)
        application = _submitted_application(
            call,
            user,
            name,
            category=categories[category],
            total_investment=total,
            civil_works_investment=(total / 10).quantize(Decimal("0.01")),
            investment_completed=(total * Decimal("0.4")).quantize(Decimal("0.01")),
            summary=content[: content.index("，")],
            construction_content=content,
        )
        reviewer = User.objects.get(username=REVIEWER_OF[username])
        application = review.decide(application, "recommend", by=reviewer, reason="同意推荐。")
        application = pass_formal_check(application, office)
        if outcome in tiers:
            decisions.select(application, tiers[outcome], by=office)
        else:
            decisions.not_select(application, "综合会审得分未进入入选范围。", by=office)
    _notice_and_final_list(call, office)
    _move_into_last_year(call, today)
    return call


def _notice_and_final_list(call, office):
    today = publication.today()  # a notice is published from today (China time) on
    notice = publication.save_notice(
        call,
        {
            **publication.initial_values(call),
            "title": f"{call.title}拟入选项目公示",
            "starts_on": today,
            "ends_on": working_days_end(today, 5),
            "contact_name": "省信息化办",
            "contact_phone": "025-83000000",
        },
        by=office,
    )
    notice = publication.publish(notice, by=office)
    publication.finalise(notice, by=office, at=notice.closes_at + dt.timedelta(minutes=1))


def _move_into_last_year(call, today):
    shift = dt.timedelta(days=today.timetuple().tm_yday + 150)  # to about July of last year
    Call.objects.filter(pk=call.pk).update(
        window_opens_at=call.window_opens_at - shift,
        window_closes_at=call.window_closes_at - shift,
        recommendation_deadline=call.recommendation_deadline - shift,
    )
    notice = PublicNotice.objects.get(call=call)
    later = dt.timedelta(days=60)  # the notice came two months after the window closed
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=notice.starts_on - shift + later,
        ends_on=notice.ends_on - shift + later,
        published_at=notice.published_at - shift + later,
        finalised_at=notice.finalised_at - shift + later,
    )
