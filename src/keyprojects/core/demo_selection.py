"""Demo of the provincial selection stage: a second call whose window and recommendation
deadline have passed, its applications recommended by their authorities, most of them
through the formal check, experts assigned and the online scoring round under way.

Built through the same domain functions the pages use, while the call is still open, and
then moved into the past, so every event in its history is a real one.
"""

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from keyprojects.calls.models import Call
from keyprojects.calls.reference import call_spec, load_call
from keyprojects.orgs.models import User
from keyprojects.review import domain as review
from keyprojects.review import tables
from keyprojects.selection import checklist
from keyprojects.selection import domain as selection
from keyprojects.selection.models import FormalCheck

from .clock import china_midnight

SLUG = "demo-selection"

PROJECTS = [
    # (applicant's login, project, category code, total investment in 万元)
    ("applicant", "玄武区城市运行“一网统管”平台", "digital_governance", "1500.00"),
    ("applicant", "南京数字孪生水务管理系统", "digital_infrastructure", "980.00"),
    ("applicant_sz", "苏州高新区工业互联网标识解析二级节点", "digital_economy", "2600.00"),
    ("applicant_sz", "苏州智能制造公共服务云平台", "digital_economy", "1200.00"),
    (
        "applicant_soe",
        "江苏高速公路路网运行监测与应急指挥平台",
        "digital_infrastructure",
        "3200.00",
    ),
    ("applicant_soe", "交通控股网络安全态势感知平台", "cybersecurity", "800.00"),
    ("applicant_px", "沛县“互联网+医疗健康”便民服务平台", "digital_governance", "650.00"),
    ("applicant_px", "沛县智慧农业大数据平台（二期）", "digital_economy", "720.00"),
]
# Left for the visitor to check: the continuation (二期) the duplicate check flags, and one more.
LEFT_FOR_FORMAL_CHECK = {"沛县智慧农业大数据平台（二期）", "交通控股网络安全态势感知平台"}

REVIEWER_OF = {
    "applicant": "reviewer_nj",
    "applicant_sz": "reviewer_sz",
    "applicant_soe": "reviewer_jt",
    "applicant_px": "reviewer_px",
}


def load_selection_demo(today: dt.date) -> list[tuple[str, str, str]]:
    call = Call.objects.filter(slug=SLUG).first() or _recommended_call(today)
    from keyprojects.experts.demo import load_demo as load_experts
    from keyprojects.notices.demo import load_demo as load_notices
    from keyprojects.scoring.demo import load_demo as load_scoring
    from keyprojects.selection.demo import load_demo as load_selection

    accounts = load_experts(call, today)
    # The scoring demo says which experts have scored.
    scored = {username: role for username, _password, role in load_scoring(call, today)}
    load_notices(call, today)
    load_selection(call, today)
    return [
        (username, password, f"{role} · {scored[username]}" if username in scored else role)
        for username, password, role in accounts
    ]


@transaction.atomic
def _recommended_call(today: dt.date) -> Call:
    from .demo import _submitted_application

    call = load_call(
        call_spec(),
        slug=SLUG,
        year=today.year,
        title=f"{today.year}年智慧江苏重点工程（演示：省级遴选阶段）",
        notice_number="演示用，非正式通知",
        window_opens_at=china_midnight(today - dt.timedelta(days=1)),
        window_closes_at=china_midnight(today + dt.timedelta(days=1)),
        recommendation_deadline=china_midnight(today + dt.timedelta(days=2)),
        earliest_start=dt.date(today.year - 1, 1, 1),
    )
    categories = {c.code: c for c in call.categories.all()}
    office = User.objects.get(username="office")
    recommended = []
    for username, name, category, total in PROJECTS:
        user = User.objects.get(username=username)
        application = _submitted_application(
            call, user, name, category=categories[category], total_investment=Decimal(total)
        )
        reviewer = User.objects.get(username=REVIEWER_OF[username])
        recommended.append(
            review.decide(application, "recommend", by=reviewer, reason="经审核，同意推荐。")
        )
    for username in dict.fromkeys(REVIEWER_OF.values()):
        send_recommendations(call, User.objects.get(username=username))
    for application in recommended:
        if application.name not in LEFT_FOR_FORMAL_CHECK:
            pass_formal_check(application, office)
    # Now the call is in the selection stage: its window and deadline have passed.
    Call.objects.filter(pk=call.pk).update(
        window_opens_at=china_midnight(today - dt.timedelta(days=60)),
        window_closes_at=china_midnight(today - dt.timedelta(days=40)),
        recommendation_deadline=china_midnight(today - dt.timedelta(days=30)),
    )
    call.refresh_from_db()
    return call


def send_recommendations(call, reviewer):
    """The authority sends its recommendations as its page does: a summary table (rendered
    here, the worker is not running yet), the stamped scan with the table's code typed in,
    then the sending."""
    batch = review.batch_for(call, reviewer.authority)
    table = review.start_table(batch, by=reviewer)
    tables.render_files(table)
    review.accept_scan(batch, _stamped_scan(), typed_code=table.code, by=reviewer)
    return review.submit_to_province(batch, by=reviewer)


def _stamped_scan() -> SimpleUploadedFile:
    """A page photographed with a red seal on it: the demo has no printer."""
    page = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(page).ellipse((820, 1350, 1120, 1650), outline=(210, 20, 20), width=24)
    photo = io.BytesIO()
    page.save(photo, "JPEG", quality=85)
    return SimpleUploadedFile("盖章扫描件.jpg", photo.getvalue(), content_type="image/jpeg")


def pass_formal_check(application, office):
    """The office's formal check as its page records it: every item ruled 符合, verdict
    通过, so the check page and the office's list show who checked it and when."""
    results = {item.key: checklist.PASS for item in checklist.items_for(application)}
    selection.record_check(
        application,
        results=results,
        notes="",
        verdict=FormalCheck.Verdict.PASS,
        reason="",
        by=office,
        expected_version=0,
    )
    application.refresh_from_db()  # the check moved it on
    return application
