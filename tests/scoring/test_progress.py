"""The office's view of progress, and reminders to experts who have not finished."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from keyprojects.audit.models import Event
from keyprojects.core.clock import now
from keyprojects.notifications.models import Notification
from keyprojects.scoring import domain, queries

from .helpers import assign, full_marks, make_expert, score

pytestmark = pytest.mark.django_db


def reminders():
    return Notification.objects.filter(key__startswith="scoring-remind:")


@pytest.fixture
def halfway(online, experts):
    """赵一 and 钱二 submitted all three; 孙三 one submitted and one draft; 李四, 周五 nothing."""
    applications = list(online.call.applications.order_by("name"))
    for expert in experts[:2]:
        for application in applications:
            score(online, application, expert, full_marks(online.rubric, "0.8"))
    score(online, applications[0], experts[2], full_marks(online.rubric, "0.7"))
    score(online, applications[1], experts[2], {}, submit=False)
    return online


def test_progress_per_application_and_per_expert(halfway, experts):
    per_application, per_expert = queries.progress(halfway)
    assert [(p.application.name, p.submitted, p.assigned) for p in per_application] == [
        ("玄武区城市运行一网统管平台", 3, 5),
        ("玄武区政务数据共享平台", 2, 5),
        ("秦淮区智慧养老服务平台", 2, 5),
    ]
    assert [e.name for e in per_application[1].missing] == ["周五", "孙三", "李四"]
    rows = {p.expert.name: (p.done, p.drafts, p.assigned, p.late) for p in per_expert}
    assert rows == {
        "赵一": (3, 0, 3, False),
        "钱二": (3, 0, 3, False),
        "孙三": (1, 1, 3, False),
        "李四": (0, 0, 3, False),
        "周五": (0, 0, 3, False),
    }


def test_after_the_deadline_unfinished_experts_are_late(halfway):
    _apps, per_expert = queries.progress(halfway, at=halfway.deadline + dt.timedelta(minutes=1))
    late = sorted(p.expert.name for p in per_expert if p.late)
    assert late == ["周五", "孙三", "李四"]


def test_the_round_page_shows_progress_to_the_office(client, halfway, office):
    client.force_login(office)
    page = client.get(reverse("scoring:round", args=[halfway.pk])).content.decode()
    assert "3 / 5" in page and "1 / 3" in page
    assert "提醒全部 3 位未完成的专家" in page


def test_reminders_go_to_unfinished_experts_in_the_system_and_by_email(
    halfway, office, experts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = domain.remind(halfway, by=office)
    assert sorted(e.name for e in result["notified"]) == ["周五", "孙三", "李四"]
    reminded = Notification.objects.filter(user__in=[e.user for e in experts[2:]])
    assert reminded.count() == 3
    note = reminded.get(user=experts[2].user)
    assert "还有 2 个项目未提交" in note.text and note.url == reverse("scoring:home")
    assert not Notification.objects.filter(user__in=[experts[0].user, experts[1].user]).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.user.email for e in experts[2:])
    assert Event.objects.filter(target_id=str(halfway.pk), action="remind").exists()


def test_a_second_reminder_the_same_day_is_not_sent_twice(halfway, office):
    domain.remind(halfway, by=office)
    again = domain.remind(halfway, by=office)
    assert again["notified"] == [] and len(again["already"]) == 3
    assert reminders().count() == 3


def test_an_expert_without_an_account_is_named_for_a_phone_call(online, office):
    offline = make_expert("郑七", account=False)
    assign(offline, online.call.applications.first(), office)
    result = domain.remind(online, by=office)
    assert result["no_account"] == [offline]


def test_the_office_reminds_one_expert_from_the_page(client, halfway, office, experts):
    client.force_login(office)
    response = client.post(
        reverse("scoring:remind", args=[halfway.pk]), {"expert": str(experts[3].pk)}, follow=True
    )
    assert "已提醒 1 位专家" in response.content.decode()
    assert list(reminders().values_list("user", flat=True)) == [experts[3].user.pk]


def test_a_round_opens_only_after_the_earlier_ones_closed(call, office, online):
    from keyprojects.scoring.models import ReviewRound

    defence_round = domain.create_round(call, kind=ReviewRound.Kind.DEFENCE, order=2, by=office)
    with pytest.raises(domain.ScoringRefused, match="请先结束前面的轮次：网评"):
        domain.change_round(defence_round, "open", by=office)
    domain.change_round(online, "close", by=office)
    opened = domain.change_round(defence_round, "open", by=office)
    assert opened.state == "open" and len(opened.rubric) == 6
    with pytest.raises(domain.ScoringRefused, match="后续轮次已经开始"):
        domain.change_round(online, "reopen", by=office, reason="补评")
    events = Event.objects.filter(target_id=str(online.pk)).values_list("action", "to_state")
    assert list(events.order_by("at")) == [
        ("create", "planned"),
        ("open", "open"),
        ("close", "closed"),
    ]


def test_reopening_a_round_needs_a_reason(online, office):
    domain.change_round(online, "close", by=office)
    with pytest.raises(domain.ScoringRefused, match="理由"):
        domain.change_round(online, "reopen", by=office)
    reopened = domain.change_round(online, "reopen", by=office, reason="两位专家请假，延期一周")
    assert reopened.state == "open"
    event = Event.objects.get(target_id=str(online.pk), action="reopen")
    assert event.reason == "两位专家请假，延期一周"


def test_a_second_round_of_the_same_kind_is_refused(call, office, online):
    with pytest.raises(domain.ScoringRefused, match="已有“网评”"):
        domain.create_round(call, kind="online", order=5, by=office)
    with pytest.raises(domain.ScoringRefused, match="顺序 1"):
        domain.create_round(call, kind="defence", order=1, by=office)


def test_the_office_adds_a_round_from_the_call_page(client, call, office):
    client.force_login(office)
    url = reverse("scoring:call", args=[call.slug])
    bad = client.post(url, {"kind": "online", "order": "一", "deadline": "明天"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "顺序请填写 1～20 的整数" in page and "请按“年-月-日 时:分”填写截止时间" in page
    deadline = (now() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    assert (
        client.post(url, {"kind": "online", "order": "1", "deadline": deadline}).status_code == 302
    )
    assert call.review_rounds.get().kind == "online"
