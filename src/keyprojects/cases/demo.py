"""Demo data: two published cases and one draft about the call's selected projects, made
through the domain functions as people would (the office writes, the applicant consents,
a second office member approves: four eyes)."""

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw

from keyprojects.applications.workflow import Status
from keyprojects.core.demo import DEMO_PASSWORD
from keyprojects.orgs.models import OFFICE_GROUP, User

from . import domain
from .models import Case

REVIEWER = ("office2", "省信息化办（第二审核人）")
FIGURES = [
    [("服务人次", Decimal("1200"), "万"), ("事件处置时长缩短", Decimal("40"), "%")],
    [("接入数据", Decimal("3.5"), "亿条"), ("年节约运维费用", Decimal("300"), "万元")],
]
SOLUTIONS = [
    "以数字孪生城市底座汇聚感知数据，建设一网统管平台和街道级事件闭环处置机制。",
    "依托大数据中心和物联网感知网络，建设覆盖全域的智能分析与预警应用。",
]


def _picture(colour) -> SimpleUploadedFile:
    """A simple chart-like picture (bars), as a PNG upload."""
    image = PillowImage.new("RGB", (960, 540), (245, 247, 250))
    draw = ImageDraw.Draw(image)
    for index, height in enumerate([180, 260, 220, 340, 300, 400]):
        left = 120 + index * 130
        draw.rectangle([left, 480 - height, left + 80, 480], fill=colour)
    draw.line([100, 480, 900, 480], fill=(60, 60, 60), width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("demo.png", out.getvalue())


def _reviewer():
    user, created = User.objects.update_or_create(
        username=REVIEWER[0],
        defaults={
            "full_name": REVIEWER[1],
            "email": f"{REVIEWER[0]}@example.com",
            "is_staff": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


def _publish(case, index, *, office, reviewer):
    for label, value, unit in FIGURES[index % len(FIGURES)]:
        domain.add_figure(case, label=label, value=value, unit=unit, by=office)
    colour = [(155, 28, 28), (13, 110, 253)][index % 2]
    domain.add_image(case, _picture(colour), caption="项目建设成效示意图", by=office)
    case.refresh_from_db()
    case = domain.save_text(
        case,
        {
            **{name: getattr(case, name) for name in domain.TEXT_FIELDS},
            "solution": SOLUTIONS[index % len(SOLUTIONS)] + "\n\n" + case.solution,
        },
        by=office,
        expected_version=case.version,
    )
    applicant = case.organisation.users.filter(is_active=True).order_by("pk").first()
    if applicant is None:
        return case  # nobody can consent: it stays a draft
    domain.decide_consent(case, given=True, note="", seen_digest=case.content_digest, by=applicant)
    case = domain.act(case, "submit", by=office, expected_version=case.version)
    return domain.act(case, "publish", by=reviewer, expected_version=case.version)


@transaction.atomic
def load_demo(call, today: dt.date) -> list[tuple[str, str, str]]:
    """Idempotent. Returns the account it adds: a second office member, who approves what
    the first one submits."""
    reviewer = _reviewer()
    accounts = [(REVIEWER[0], DEMO_PASSWORD, "省信息化办第二人（典型案例审核发布，四眼原则）")]
    office = User.objects.filter(username="office").first()
    if office is None:
        return accounts
    if Case.objects.filter(application__call=call).exists():
        return accounts  # already loaded
    selected = list(call.applications.filter(status=Status.SELECTED).order_by("name")[:3])
    for index, application in enumerate(selected):
        case = domain.create_case(application, by=office)
        if index < 2:
            _publish(case, index, office=office, reviewer=reviewer)
    return accounts
