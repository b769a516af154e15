"""The office's decisions: tiers and their (cumulative) maximum, reasons, stale pages, events."""

import pytest
from django.urls import reverse

from keyprojects.applications.workflow import Status, TransitionRefused
from keyprojects.audit.models import Event
from keyprojects.notices import decisions, publication
from keyprojects.notices.models import Decision, Tier

from ..factories import PASSWORD
from .conftest import notice_values

pytestmark = pytest.mark.django_db


def test_select_records_tier_and_events(make_passed, tiers, office):
    application = make_passed("玄武区城市大脑")
    selected = decisions.select(application, tiers["flagship"], by=office)
    assert selected.status == Status.SELECTED
    assert Decision.objects.get(application=application).tier == tiers["flagship"]
    event = Event.objects.get(target_id=str(application.pk), action="select")
    assert (event.actor, event.from_state, event.to_state) == (office, "check_passed", "selected")
    tier_event = Event.objects.get(action="set_tier")
    assert (tier_event.from_state, tier_event.to_state) == ("", "标志性工程")


def test_not_select_needs_a_reason(make_passed, tiers, office):
    application = make_passed("玄武区城市大脑")
    with pytest.raises(TransitionRefused, match="请填写确定不入选的理由"):
        decisions.not_select(application, "  ", by=office)
    decided = decisions.not_select(application, "得分未进入前50名", by=office)
    assert decided.status == Status.NOT_SELECTED
    assert Decision.objects.get(application=application).reason == "得分未进入前50名"


def test_tier_maximum_is_cumulative(make_passed, call, office):
    flagship = Tier.objects.create(call=call, name="标志性工程", order=1, max_count=1)
    key = Tier.objects.create(call=call, name="重点工程", order=2, max_count=2)
    a, b, c = (make_passed(name) for name in ["甲项目", "乙项目", "丙项目"])
    decisions.select(a, flagship, by=office)
    with pytest.raises(TransitionRefused) as refused:
        decisions.select(b, flagship, by=office)
    assert "“标志性工程”最多 1 项，已有 1 项入选" in str(refused.value)
    decisions.select(b, key, by=office)
    # 重点工程 counts the flagship too: 1 + 1 = 2 is its maximum.
    with pytest.raises(TransitionRefused) as refused:
        decisions.select(c, key, by=office)
    assert "“重点工程”（含更高档次）最多 2 项，已有 2 项入选" in str(refused.value)
    assert "不能再将“丙项目”列入“重点工程”" in str(refused.value)
    c.refresh_from_db()
    assert c.status == Status.CHECK_PASSED  # nothing changed
    # Taking one off the list makes room again.
    decisions.not_select(a, "经复核不符合标志性工程要求", by=office)
    assert decisions.select(c, flagship, by=office).status == Status.SELECTED
    assert [(t.name, own, total) for t, own, total in decisions.tier_counts(call)] == [
        ("标志性工程", 1, 1),
        ("重点工程", 1, 2),
    ]


def test_moving_a_selected_project_between_tiers(make_passed, tiers, office):
    application = decisions.select(make_passed("甲项目"), tiers["key"], by=office)
    moved = decisions.select(application, tiers["flagship"], by=office)
    assert moved.status == Status.SELECTED
    assert Decision.objects.get(application=application).tier == tiers["flagship"]
    with pytest.raises(TransitionRefused, match="已列入该档次"):
        decisions.select(moved, tiers["flagship"], by=office)


def test_a_stale_page_is_refused(make_passed, tiers, office):
    application = make_passed("甲项目")
    seen = decisions.row_version(application)
    decisions.select(application, tiers["key"], by=office)  # a colleague decides first
    with pytest.raises(TransitionRefused, match="已被他人修改"):
        decisions.not_select(application, "理由", by=office, expected=seen)
    with pytest.raises(TransitionRefused, match="已被他人修改"):
        decisions.select(application, tiers["flagship"], by=office, expected=seen)


def test_published_notice_freezes_additions_not_withdrawals(call, listed, make_passed, office):
    notice = publication.save_notice(call, notice_values(call), by=office)
    publication.publish(notice, by=office)
    late = make_passed("公示后才决定的项目")
    with pytest.raises(TransitionRefused, match="公示已发布"):
        decisions.select(late, listed["key"].notice_decision.tier, by=office)
    withdrawn = decisions.not_select(listed["key"], "申报单位主动撤回", by=office)
    assert withdrawn.status == Status.NOT_SELECTED


def test_batch_decision_from_the_page(client, make_passed, tiers, office):
    a, b = make_passed("甲项目"), make_passed("乙项目")
    client.login(username=office.username, password=PASSWORD)
    url = reverse("notices:decide", args=[a.call.slug])
    response = client.post(
        url,
        {
            "ids": [str(a.pk), str(b.pk)],
            f"v-{a.pk}": decisions.row_version(a),
            f"v-{b.pk}": decisions.row_version(b),
            "action": "select",
            "tier": tiers["key"].pk,
        },
        follow=True,
    )
    assert "已对 2 个项目作出决定" in response.content.decode()
    assert set(a.call.applications.values_list("status", flat=True)) == {Status.SELECTED}


def test_batch_form_errors_keep_what_was_typed(client, make_passed, tiers, office):
    a = make_passed("甲项目")
    client.login(username=office.username, password=PASSWORD)
    response = client.post(
        reverse("notices:decide", args=[a.call.slug]),
        {"ids": [str(a.pk)], "action": "not_select", "reason": ""},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写确定不入选的理由" in page
    assert f'value="{a.pk}" checked' in page
    response = client.post(
        reverse("notices:decide", args=[a.call.slug]),
        {"ids": [str(a.pk)], "action": "select", "reason": "备注保留"},
    )
    assert "确定入选须选择入选档次" in response.content.decode()
    assert "备注保留" in response.content.decode()
    response = client.post(reverse("notices:decide", args=[a.call.slug]), {"action": "select"})
    assert "请先勾选要作出决定的项目" in response.content.decode()
    a.refresh_from_db()
    assert a.status == Status.CHECK_PASSED


def test_decision_page_lists_by_category_without_scores(client, make_passed, tiers, office):
    make_passed("数字经济甲", category="digital_economy")
    make_passed("数字治理乙")
    client.login(username=office.username, password=PASSWORD)
    page = client.get(reverse("notices:decisions", args=["test"])).content.decode()
    # Categories in the call's order: 数字经济类 comes before 数字治理类.
    assert page.index("数字经济类") < page.index("数字经济甲") < page.index("数字治理类")
    assert page.index("数字治理类") < page.index("数字治理乙")
    assert "专家评分尚未汇总" in page
    assert "—" in page
    assert "标志性工程</strong> 0 · 含更高档次 0 / 10" in page
    assert "重点工程</strong> 0 · 含更高档次 0 / 50" in page


def test_default_tiers_once(client, call, office):
    client.login(username=office.username, password=PASSWORD)
    assert (
        "尚未设置入选档次"
        in client.get(reverse("notices:decisions", args=[call.slug])).content.decode()
    )
    for _ in range(2):
        client.post(reverse("notices:default_tiers", args=[call.slug]))
    assert list(call.tiers.values_list("name", "order", "max_count")) == [
        ("标志性工程", 1, 10),
        ("重点工程", 2, 50),
    ]
    assert Event.objects.filter(action="create_default_tiers").count() == 1


def test_a_tier_maximum_cannot_drop_below_the_selected(call, tiers, make_passed, office):
    decisions.select(make_passed("甲项目"), tiers["flagship"], by=office)
    decisions.select(make_passed("乙项目"), tiers["key"], by=office)
    tier = tiers["key"]
    tier.max_count = 1
    with pytest.raises(Exception, match="不能少于该数"):
        tier.full_clean()
    tier.max_count = 2
    tier.full_clean()
