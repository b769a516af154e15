"""Provincial selection, walked in a real browser: formal check to an answered objection.

The office passes three recommended applications in the formal check and fails a fourth,
sets the review plan (2 experts per project, at most 2 projects each), runs the assignment
and opens the online round (网评). 张敏 of 苏州 binds her authenticator on the real set-up
page, sees only the two 南京 projects (the 苏州 one is her own city's) and scores them, a
draft first; 王磊 passes the second factor with his authenticator and sees his two. His and
李静's scores go through the scoring domain to keep the journey short. The office closes the
round, reads the ranking, selects two projects (a flagship, a key project), does not select
the third, then drafts and publishes the notice; an anonymous visitor sees only the two
selected, objects to one and gets a receipt; the office answers it as not upheld.
Screenshots go to test-artifacts/screenshots/ (names start with "selection-").
"""

import base64
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status
from keyprojects.experts.models import Assignment, Expert
from keyprojects.notices.models import Objection, PublicNotice
from keyprojects.notices.publication import today
from keyprojects.orgs.models import Region
from keyprojects.scoring import domain as scoring
from keyprojects.scoring.models import ReviewRound, Score

from .. import factories
from ..selection.conftest import recommended
from .conftest import shot

pytestmark = pytest.mark.e2e

FIRST = "玄武区城市运行一网统管平台"
SECOND = "秦淮区智慧养老服务平台"
SUZHOU = "虎丘区智慧河湖监管平台"
FAILED = "鼓楼区停车场智能化改造项目"
PASSED = [FIRST, SECOND, SUZHOU]
FAIL_REASON = "建设内容以停车场道闸和照明设备采购为主，不符合数字治理类的建设方向。"
NOT_SELECTED_REASON = "综合评审得分排名靠后，未达到入选要求。"
OBJECTION = "该项目的养老服务平台尚未上线运行，申报材料中填写的服务人数与实际情况不符。"
ANSWER = "经调阅运营记录核实，平台已于2025年6月试运行，服务人数有后台数据佐证，异议不成立。"
# Item scores in rubric order (weights 20/15/20/15/15/15, each scored 0…weight).
MARKS = {
    FIRST: [18, 13, 18, 13, 13, 13],  # 88
    SECOND: [15, 12, 15, 12, 12, 12],  # 78
    SUZHOU: [12, 9, 12, 9, 9, 9],  # 60
}
# (name, organisation, city): 苏州 must stay off the 苏州 project; 徐州 and 无锡 take it.
EXPERTS = [
    ("张敏", "苏州大学", "320500"),
    ("王磊", "中国矿业大学", "320300"),
    ("李静", "江南大学", "320200"),
]
EXPERT_NAMES = [name for name, *_rest in EXPERTS]


def alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


def heading(page):
    return page.get_by_role("heading", level=1)


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("header")).to_contain_text(str(user))


def office_menu(page, item):
    """The office's pages are under the header's 省级遴选 menu."""
    header = page.locator("header")
    header.get_by_role("button", name="省级遴选").click()
    header.get_by_role("link", name=item, exact=True).click()


def code_now(key: bytes) -> str:
    """What an authenticator app shows now for `key` (RFC 6238: 30 s steps, 6 digits)."""
    return f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}"


def make_expert(name, organisation, city):
    user = factories.make_user(None)
    user.full_name = name
    user.save(update_fields=["full_name"])
    return Expert.objects.create(
        user=user,
        name=name,
        organisation_name=organisation,
        organisation_credit_code=factories.credit_code("12320000MB"),
        city=Region.objects.get(code=city),
        category_codes=["digital_governance"],
        phone="13900000000",
        email=f"{user.username}@example.com",
    )


def bind_authenticator(user):
    """What the set-up page leaves behind: a confirmed authenticator, ten recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    StaticToken.objects.bulk_create(
        StaticToken(device=recovery, token=StaticToken.random_token()) for _ in range(10)
    )
    return device


@pytest.fixture
def world(call, settings):
    """Four applications recommended by their authorities, three experts, the office."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.NOTICES_OBJECTION_MIN_SECONDS = 1  # a person takes longer; the check stays on
    cache.clear()  # the objection rate limit lives in the cache
    office = factories.make_office(username="office")
    seats = {FIRST: "320102", SECOND: "320104", SUZHOU: "320505", FAILED: "320106"}
    projects = {name: recommended(call, seat=seat, name=name) for name, seat in seats.items()}
    experts = {name: make_expert(name, *rest) for name, *rest in EXPERTS}
    return {"call": call, "office": office, "projects": projects, "experts": experts}


@pytest.fixture
def new_page(browser, live_server):
    """Another person at another computer: a browser context of their own."""
    contexts = []

    def open_page():
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_formal_check_to_experts_scores_to_notice_and_answered_objection(
    page, new_page, world, mailoutbox
):
    office, projects, experts = world["office"], world["projects"], world["experts"]
    log_in(page, office)
    formal_check(page)
    assignment(page)
    round_ = open_round(page, world["call"])
    first_expert_scores(new_page(), experts["张敏"], round_)
    second_expert_verifies(new_page(), experts["王磊"])
    for name in ["王磊", "李静"]:
        submit_through_domain(round_, experts[name])
    ranking(page)
    decide(page)
    notice = publish(page)
    visitor = new_page()
    receipt = object_as_visitor(visitor, notice, projects[SECOND])
    answer_objection(page, receipt)
    # The objector gave an e-mail address: the answer reaches her there.
    answers = [m for m in mailoutbox if receipt in m.subject]
    assert len(answers) == 1 and answers[0].to == ["chen@example.com"]
    assert "异议不成立" in answers[0].body and ANSWER in answers[0].body

    # The objection changed nothing: the list stands, the decided statuses stay.
    visitor.goto(f"/notices/{notice.pk}/")
    expect(visitor.locator("main").get_by_role("cell", name=SECOND, exact=True)).to_be_visible()
    statuses = {name: Application.objects.get(pk=a.pk).status for name, a in projects.items()}
    assert statuses == {
        FIRST: Status.SELECTED,
        SECOND: Status.SELECTED,
        SUZHOU: Status.NOT_SELECTED,
        FAILED: Status.CHECK_FAILED,
    }


# --- 1. Formal check ---------------------------------------------------------------------


def formal_check(page):
    office_menu(page, "形式审查")
    expect(heading(page)).to_contain_text("形式审查")
    progress = page.locator(".form-section", has=page.get_by_role("heading", name="审查进度"))
    expect(progress).to_contain_text("已推荐 4 项")
    expect(progress.locator("li", has_text="待审查")).to_have_text("待审查 4")
    expect(page.locator("tbody tr")).to_have_count(4)
    shot(page, "selection-01-overview")
    compare_texts(page)
    for n, name in enumerate(PASSED):
        page.get_by_role("link", name=name, exact=True).click()
        expect(heading(page)).to_have_text(name)
        # Every rule the machine checks holds; whether the project fits its category is
        # the office's judgement, left open for it.
        form = page.locator("#check-form")
        expect(form.locator("#item-category_fit input:checked")).to_have_count(0)
        form.locator("#item-category_fit").get_by_label("符合", exact=True).check()
        # The journey's projects share the factory's sentences, so the computation flags
        # them (请核实); the office reads them and rules them no duplicates.
        expect(form.locator("#item-duplicates")).to_contain_text("请核实")
        form.locator("#item-duplicates").get_by_label("符合", exact=True).check()
        form.get_by_label("通过", exact=True).check()
        if n == 0:
            shot(page, "selection-02-checklist")
        form.get_by_role("button", name="保存审查").click()
        expect(alert(page, "已保存形式审查")).to_be_visible()
        expect(page.locator("#saved-verdict")).to_have_text("通过")
        expect(page.locator("h1 + p .badge")).to_have_text("形式审查通过")
        if n == 0:
            shot(page, "selection-03-check-passed")
        back_to_overview(page)
    fail_one(page)
    for state, n in [("待审查", 0), ("已通过", 3), ("未通过", 1)]:
        expect(progress.locator("li", has_text=state)).to_have_text(f"{state} {n}")
    shot(page, "selection-05-overview-checked")


def compare_texts(page):
    """Before it, "no duplicate" is no finding: the check leaves that item to the office."""
    page.get_by_role("link", name=PASSED[0], exact=True).click()
    expect(page.locator("#suspected-pairs")).to_contain_text("本批次尚未计算相似度")
    expect(page.locator("#item-duplicates input:checked")).to_have_count(0)
    back_to_overview(page)
    page.get_by_role("link", name="重复与续期检测").click()
    expect(page.locator("#run-state")).to_contain_text("尚未计算")
    page.get_by_role("button", name="重新计算").click()
    expect(page.locator("#run-state")).to_contain_text("已完成")
    page.get_by_role("link", name="形式审查", exact=True).click()


def back_to_overview(page):
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="形式审查").click()
    expect(heading(page)).to_contain_text("形式审查")


def fail_one(page):
    page.get_by_role("link", name=FAILED, exact=True).click()
    form = page.locator("#check-form")
    form.locator("#item-category_fit").get_by_label("不符合", exact=True).check()
    form.get_by_label("不通过", exact=True).check()
    # Without a reason the verdict is refused, and the choices made stay.
    form.get_by_role("button", name="保存审查").click()
    expect(form).to_contain_text("请填写不通过的理由。")
    expect(form.get_by_label("不通过", exact=True)).to_be_checked()
    form.get_by_label("理由", exact=True).fill(FAIL_REASON)
    form.get_by_role("button", name="保存审查").click()
    expect(alert(page, "已保存形式审查")).to_be_visible()
    expect(page.locator("#saved-verdict")).to_have_text("不通过")
    expect(page.locator("aside")).to_contain_text(FAIL_REASON)
    expect(page.locator("h1 + p .badge")).to_have_text("形式审查未通过")
    shot(page, "selection-04-check-failed")
    back_to_overview(page)


# --- 2. Review plan and assignment -------------------------------------------------------


def assignment(page):
    office_menu(page, "专家库与分配")
    page.get_by_role("link", name="评审方案", exact=True).click()
    expect(heading(page)).to_contain_text("专家评审方案")
    page.get_by_label("每个项目的评审专家数").fill("2")
    page.get_by_label("每位专家最多评审项目数").fill("2")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(alert(page, "评审方案已保存")).to_be_visible()
    expect(page.get_by_label("每个项目的评审专家数")).to_have_value("2")
    shot(page, "selection-06-plan")

    page.locator("main form").get_by_role("link", name="专家分配").click()
    expect(heading(page)).to_contain_text("专家分配")
    expect(page.locator("main")).to_contain_text("每个项目 2 名同类别专家，每位专家最多 2 个项目")
    page.get_by_role("button", name="计算专家分配").click()
    expect(alert(page, "专家分配已完成：新分配 6 人次，替换原自动分配 0 人次。")).to_be_visible()
    last_run = page.locator("section", has=page.locator("#last-run"))
    expect(last_run).to_contain_text("3 个项目，新分配 6 人次；专家负荷最少 2、最多 2 个项目。")
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows).to_have_count(3)  # only the projects that passed the check
    expect(page.locator("main")).not_to_contain_text(FAILED)
    for name in PASSED:
        expect(rows.filter(has_text=name).locator(".badge")).to_have_count(2)
    # The 苏州 expert is never on the 苏州 project: she reviews both 南京 ones.
    expect(rows.filter(has_text=SUZHOU)).not_to_contain_text("张敏")
    expect(rows.filter(has_text=FIRST)).to_contain_text("张敏")
    expect(rows.filter(has_text=SECOND)).to_contain_text("张敏")
    shot(page, "selection-07-assignment")
    assert Assignment.objects.count() == 6


# --- 3. The online round -----------------------------------------------------------------


def open_round(page, call):
    office_menu(page, "评审轮次与打分")
    expect(page.locator("main")).to_contain_text("尚未设置")
    page.get_by_role("link", name=call.title).click()
    page.get_by_label("评审方式").select_option(label="网评")
    page.get_by_label("顺序").fill("1")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(alert(page, "已添加评审轮次")).to_be_visible()
    page.get_by_role("link", name="网评", exact=True).click()
    expect(heading(page)).to_contain_text("未开始")
    page.get_by_role("button", name="开始本轮").click()
    expect(alert(page, "本轮状态已更新")).to_be_visible()
    expect(heading(page)).to_contain_text("进行中")
    progress = page.locator("section", has=page.get_by_role("heading", name="各专家完成情况"))
    for name in EXPERT_NAMES:
        expect(progress.locator("tr", has_text=name)).to_contain_text("0 / 2")
    shot(page, "selection-08-round-open")
    return ReviewRound.objects.get(call=call, kind=ReviewRound.Kind.ONLINE)


# --- 4. Experts --------------------------------------------------------------------------


def first_expert_scores(page, expert, round_):
    """张敏: her first login binds an authenticator, then she scores both her projects."""
    log_in(page, expert.user)
    expect(page).to_have_url(re.compile(r"/experts/second-factor/setup/"))
    expect(heading(page)).to_have_text("绑定手机认证器（双因素认证）")
    expect(page.locator("main svg")).to_be_visible()  # the QR code
    shot(page, "selection-09-expert-setup")
    # Her authenticator app takes the secret shown under the QR code.
    secret = page.locator("#secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("验证码或恢复码").fill(code_now(key))
    page.get_by_role("button", name="验证并绑定").click()
    expect(heading(page)).to_have_text("认证器已绑定：请保存恢复码")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    shot(page, "selection-10-recovery-codes")
    page.get_by_role("link", name="我已保存，继续").click()

    expect(heading(page)).to_contain_text("我的评审")
    expect(page.locator("caption")).to_have_text("分配给您的项目 2 个")
    main = page.locator("main")
    for name in [FIRST, SECOND]:
        expect(main.get_by_role("cell", name=name, exact=True)).to_be_visible()
    expect(main).not_to_contain_text(SUZHOU)
    shot(page, "selection-11-expert-home")

    page.locator("header").get_by_role("link", name="专家打分").click()
    expect(heading(page)).to_have_text("专家打分")
    tasks = page.locator("tbody tr")
    expect(tasks).to_have_count(2)
    expect(main).not_to_contain_text(SUZHOU)
    expect(tasks.filter(has_text=FIRST)).to_contain_text("未开始")
    shot(page, "selection-12-expert-tasks")
    score_in_browser(page, round_, FIRST, draft_first=True)
    score_in_browser(page, round_, SECOND)
    expect(tasks.filter(has_text=FIRST)).to_contain_text("已提交")
    expect(tasks.filter(has_text=FIRST)).to_contain_text("88.00")
    expect(tasks.filter(has_text=SECOND)).to_contain_text("78.00")
    shot(page, "selection-15-expert-tasks-done")


def score_in_browser(page, round_, name, draft_first=False):
    page.get_by_role("link", name=name, exact=True).click()
    expect(heading(page)).to_have_text(name)
    form = page.locator("form.score-form")
    for criterion, mark in zip(round_.rubric, MARKS[name], strict=True):
        form.locator(f"#id_item_{criterion['code']}").fill(str(mark))
        form.locator(f"#id_comment_{criterion['code']}").fill(f"{criterion['title']}：较好。")
    form.get_by_label("总体评审意见").fill("建设目标明确，技术路线可行，建议列入。")
    if draft_first:
        form.get_by_role("button", name="保存草稿").click()
        expect(alert(page, "草稿已保存")).to_be_visible()
        expect(page.locator("aside")).to_contain_text("当前总分 88.00")
        expect(form.locator("#id_item_leadership")).to_have_value("18.00")  # kept as saved
        expect(form.locator("#id_comment_leadership")).to_have_value(re.compile("较好"))
        shot(page, "selection-13-score-draft")
    form.get_by_role("button", name=re.compile("提交评分")).click()
    expect(alert(page, "评分已提交")).to_be_visible()
    scored = page.locator("aside section", has=page.get_by_role("heading", name="我的评分"))
    expect(scored.locator("tfoot")).to_contain_text(f"{sum(MARKS[name])}.00")
    expect(scored).to_contain_text("已提交")
    expect(page.locator("form.score-form")).to_have_count(0)  # locked
    if draft_first:
        shot(page, "selection-14-score-submitted")
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="专家打分").click()


def second_expert_verifies(page, expert):
    """王磊 bound his authenticator earlier: this login asks for its current code."""
    device = bind_authenticator(expert.user)
    log_in(page, expert.user)
    expect(page).to_have_url(re.compile(r"/experts/second-factor/verify/"))
    expect(heading(page)).to_have_text("双因素认证")
    shot(page, "selection-16-second-expert-verify")
    page.get_by_label("验证码或恢复码").fill(code_now(device.bin_key))
    page.get_by_role("button", name="验证", exact=True).click()
    expect(heading(page)).to_contain_text("我的评审")
    mine = set(expert.assignments.values_list("application__name", flat=True))
    assert len(mine) == 2 and SUZHOU in mine
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    for name in PASSED:
        cell = page.locator("main").get_by_role("cell", name=name, exact=True)
        expect(cell).to_have_count(1 if name in mine else 0)
    shot(page, "selection-17-second-expert-home")


def submit_through_domain(round_, expert):
    """The rest of the panel scores as the page would, two points lower on the first item."""
    for assignment_ in expert.assignments.select_related("application"):
        application = assignment_.application
        marks = [MARKS[application.name][0] - 2, *MARKS[application.name][1:]]
        codes = [c["code"] for c in round_.rubric]
        scoring.save_score(
            round_,
            application,
            expert,
            items={code: Decimal(mark) for code, mark in zip(codes, marks, strict=True)},
            comments=dict.fromkeys(codes, ""),
            opinion="同意。",
            by=expert.user,
            expected_version=0,
            submit=True,
        )
    assert Score.objects.filter(expert=expert, state=Score.State.SUBMITTED).count() == 2


# --- 5. Ranking and decisions ------------------------------------------------------------


def ranking(page):
    page.reload()  # the office's round page, opened before the experts scored
    progress = page.locator("section", has=page.get_by_role("heading", name="各专家完成情况"))
    for name in EXPERT_NAMES:
        expect(progress.locator("tr", has_text=name)).to_contain_text("2 / 2")
        expect(progress.locator("tr", has_text=name)).to_contain_text("已完成")
    page.get_by_role("button", name="结束本轮").click()
    expect(alert(page, "本轮状态已更新")).to_be_visible()
    expect(heading(page)).to_contain_text("已结束")
    shot(page, "selection-18-round-closed")
    page.get_by_role("link", name="评分汇总与排名").click()
    expect(heading(page)).to_contain_text("评分汇总与排名")
    rows = page.locator("section", has=page.get_by_role("heading", name="数字治理类")).locator(
        "tbody tr"
    )
    expect(rows).to_have_count(3)
    # Two scores each: the mean (87 = (88 + 86) / 2); the 苏州 project only had 王 and 李.
    for n, (name, score) in enumerate([(FIRST, "87.00"), (SECOND, "77.00"), (SUZHOU, "58.00")]):
        expect(rows.nth(n).locator("td").nth(1)).to_have_text(name)
        expect(rows.nth(n).locator("td").first).to_have_text(str(n + 1))
        expect(rows.nth(n).locator("td").nth(2)).to_have_text(score)
        expect(rows.nth(n).locator("td").nth(4)).to_have_text("2 / 2")
    shot(page, "selection-19-ranking")


def decide(page):
    office_menu(page, "遴选决定与公示")
    page.locator("main").get_by_role("link", name="遴选决定", exact=True).click()
    expect(heading(page)).to_contain_text("遴选决定")
    page.get_by_role("button", name="采用2020年档次设置").click()
    expect(alert(page, "已按2020年做法设置入选档次")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(FIRST)  # in rank order, with the scores
    expect(rows.first).to_contain_text("87.00")
    for name, tier in [(FIRST, "标志性工程"), (SECOND, "重点工程")]:
        page.get_by_label(f"选择 {name}").check()
        page.get_by_label("确定入选", exact=True).check()
        page.get_by_label("入选档次").select_option(label=tier)
        page.get_by_role("button", name="提交决定").click()
        expect(alert(page, "已对 1 个项目作出决定")).to_be_visible()
        expect(rows.filter(has_text=name)).to_contain_text(tier)
    page.get_by_label(f"选择 {SUZHOU}").check()
    page.get_by_label("确定不入选", exact=True).check()
    page.get_by_role("button", name="提交决定").click()
    expect(page.locator("main")).to_contain_text("请填写确定不入选的理由。")
    expect(page.get_by_label(f"选择 {SUZHOU}")).to_be_checked()
    page.get_by_label("不入选理由").fill(NOT_SELECTED_REASON)
    page.get_by_role("button", name="提交决定").click()
    expect(alert(page, "已对 1 个项目作出决定")).to_be_visible()
    expect(rows.filter(has_text=SUZHOU)).to_contain_text("未入选")
    expect(rows.filter(has_text=SUZHOU)).to_contain_text(NOT_SELECTED_REASON)
    counts = page.locator(".tier-counts")
    expect(counts).to_contain_text("标志性工程 1 · 含更高档次 1 / 10")
    expect(counts).to_contain_text("重点工程 1 · 含更高档次 2 / 50")
    shot(page, "selection-20-decisions")


# --- 6. The notice -----------------------------------------------------------------------


def publish(page):
    page.get_by_role("link", name="起草公示").click()
    expect(heading(page)).to_contain_text("起草公示")
    # The proposed period starts on the next working day; this notice goes out today.
    start = today()
    page.get_by_label("公示开始日期").fill(f"{start:%Y-%m-%d}")
    page.get_by_label("公示截止日期").fill(f"{start + dt.timedelta(days=6):%Y-%m-%d}")
    shot(page, "selection-21-notice-draft")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(alert(page, "公示已保存")).to_be_visible()
    expect(page.locator("main")).to_contain_text("当前入选 2 个项目")
    page.get_by_role("button", name="发布公示").click()
    expect(alert(page, "公示已发布")).to_be_visible()
    expect(page.locator("h1 + .badge")).to_have_text("公示中")
    expect(page.locator("main")).not_to_contain_text(SUZHOU)
    shot(page, "selection-22-notice-published")
    return PublicNotice.objects.get(state=PublicNotice.State.PUBLISHED)


# --- 7. A visitor objects -----------------------------------------------------------------


def object_as_visitor(page, notice, second):
    page.goto("/notices/")
    page.get_by_role("link", name=re.compile(notice.title)).click()
    expect(heading(page)).to_have_text(notice.title)
    expect(page.locator("header").get_by_role("link", name="登录")).to_be_visible()
    main = page.locator("main")
    expect(main.get_by_role("heading", name="公示项目（2 个）")).to_be_visible()
    for name in [FIRST, SECOND]:
        expect(main.get_by_role("cell", name=name, exact=True)).to_be_visible()
    for name in [SUZHOU, FAILED]:
        expect(main).not_to_contain_text(name)
    shot(page, "selection-23-public-notice")
    form = page.locator("#objection-form")
    expect(form.get_by_label("异议项目").locator("option")).to_have_count(3)  # 2 and the prompt
    form.get_by_label("异议项目").select_option(label=f"{SECOND}（{second.organisation.name}）")
    form.get_by_label("异议事项及理由").fill(OBJECTION)
    form.get_by_label("姓名或单位名称").fill("陈女士")
    form.get_by_label("联系电话").fill("13912345678")
    form.get_by_label("电子邮箱").fill("chen@example.com")
    shot(page, "selection-24-objection-filled")
    page.wait_for_timeout(1_100)  # longer than the minimum fill time the fixture set
    form.get_by_role("button", name="提交异议").click()
    expect(heading(page)).to_have_text("异议已受理")
    receipt = page.locator("#receipt-number").inner_text()
    assert re.fullmatch(r"YY\d{8}-[A-Z2-9]{6}", receipt)
    shot(page, "selection-25-receipt")
    objection = Objection.objects.get(receipt=receipt)
    assert objection.application == second and objection.phone == "13912345678"
    return receipt


# --- 8. The office answers ----------------------------------------------------------------


def answer_objection(page, receipt):
    office_menu(page, "遴选决定与公示")
    office_row = page.locator("tbody tr").first
    expect(office_row).to_contain_text("1 / 1")  # open / all objections
    office_row.get_by_role("link", name=re.compile("拟入选项目公示")).click()
    listed = page.locator("section", has=page.get_by_role("heading", name="异议"))
    expect(listed.locator("tbody tr")).to_have_count(1)
    expect(listed.locator("tbody tr")).to_contain_text(SECOND)
    expect(listed.locator("tbody tr")).to_contain_text("陈女士")
    page.get_by_role("link", name=receipt).click()
    expect(heading(page)).to_contain_text(receipt)
    expect(page.locator("main")).to_contain_text(OBJECTION)
    shot(page, "selection-26-objection")
    page.get_by_label("异议不成立", exact=True).check()
    page.get_by_label("答复意见").fill(ANSWER)
    page.get_by_role("button", name="提交答复").click()
    expect(alert(page, "已答复异议")).to_be_visible()
    badges = page.locator("h1 + p")
    expect(badges).to_contain_text("已答复")
    expect(badges).to_contain_text("异议不成立")
    expect(page.locator("main")).to_contain_text(ANSWER)
    history = page.locator("section", has=page.get_by_role("heading", name="办理记录"))
    expect(history).to_contain_text("提出异议")
    expect(history).to_contain_text("答复异议")
    expect(page.get_by_role("button", name="撤销该项目入选")).to_have_count(0)
    shot(page, "selection-27-objection-answered")
    objection = Objection.objects.get(receipt=receipt)
    assert objection.outcome == Objection.Outcome.NOT_UPHELD and not objection.project_withdrawn
