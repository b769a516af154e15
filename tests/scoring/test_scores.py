"""An expert's score: drafts, a stale save refused, submit and lock, the office reopens."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from keyprojects.audit.models import Event
from keyprojects.notifications.models import Notification
from keyprojects.scoring import domain
from keyprojects.scoring.models import Score

from .helpers import full_marks, score, sign_in_expert

pytestmark = pytest.mark.django_db

COMPLETE = {
    "item_leadership": "18",
    "item_management": "12.5",
    "item_demand": "17",
    "item_integration": "13",
    "item_autonomy": "11",
    "item_promotion": "14",
    "opinion": "建设内容扎实，应用成效明显。",
}  # 18 + 12.5 + 17 + 13 + 11 + 14 = 85.5


@pytest.fixture
def expert(experts):
    return experts[0]


@pytest.fixture
def application(online):
    return online.call.applications.order_by("name").first()


@pytest.fixture
def url(online, application):
    return reverse("scoring:task", args=[online.pk, application.pk])


@pytest.fixture
def signed_in(client, expert):
    return sign_in_expert(client, expert)


def post(client, url, version, action="save", **fields):
    return client.post(url, {"version": version, "action": action, **fields})


def test_a_draft_is_saved_partly_filled(signed_in, url, online, expert, application):
    response = post(signed_in, url, 0, item_leadership="18", comment_leadership="创新性强")
    assert response.status_code == 302
    saved = Score.objects.get(round=online, expert=expert, application=application)
    assert (saved.state, saved.version, saved.total) == ("draft", 1, None)
    assert saved.items == {"leadership": "18.00"}
    assert saved.comments == {"leadership": "创新性强"}
    event = Event.objects.get(target_id=str(saved.pk), action="save")
    assert event.actor == expert.user and event.data["version"] == 1


def test_a_score_out_of_range_is_refused_and_what_was_typed_stays(signed_in, url):
    response = post(signed_in, url, 0, item_leadership="25", item_demand="十五", opinion="草稿意见")
    assert response.status_code == 400
    page = response.content.decode()
    assert "“符合行动计划，创新引领、示范带动”的评分应为 0～20 之间的数" in page
    assert 'value="25"' in page and 'value="十五"' in page and "草稿意见" in page
    assert not Score.objects.exists()


def test_more_than_two_decimals_are_refused(signed_in, url):
    assert post(signed_in, url, 0, item_leadership="12.345").status_code == 400
    assert not Score.objects.exists()


def test_a_stale_save_is_refused_and_overwrites_nothing(signed_in, url, online, expert):
    post(signed_in, url, 0, item_leadership="10")  # tab 1 creates version 1
    post(signed_in, url, 1, item_leadership="12")  # tab 2, based on version 1 → version 2
    response = post(signed_in, url, 1, item_leadership="19", opinion="旧窗口里写的意见")
    assert response.status_code == 409
    page = response.content.decode()
    assert "为避免覆盖，本次保存未执行" in page and "您本人" in page
    assert 'value="19"' in page and "旧窗口里写的意见" in page  # kept to copy
    saved = Score.objects.get(round=online, expert=expert)
    assert (saved.version, saved.items, saved.opinion) == (2, {"leadership": "12.00"}, "")


def test_two_tabs_creating_the_same_score_the_second_is_refused(signed_in, url, online):
    assert post(signed_in, url, 0, item_leadership="10").status_code == 302
    assert post(signed_in, url, 0, item_leadership="11").status_code == 409
    assert Score.objects.get(round=online).items == {"leadership": "10.00"}


def test_submit_needs_every_criterion_and_an_opinion(signed_in, url):
    response = post(signed_in, url, 0, action="submit", item_leadership="18")
    assert response.status_code == 400
    page = response.content.decode()
    assert "提交前请为“纳入规划，实施方案与项目管理”打分" in page
    assert "提交前请填写总体评审意见" in page
    assert not Score.objects.exists()


def test_submit_computes_the_total_and_locks_the_score(signed_in, url, online, expert):
    assert post(signed_in, url, 0, action="submit", **COMPLETE).status_code == 302
    saved = Score.objects.get(round=online, expert=expert)
    assert (saved.state, saved.total) == ("submitted", Decimal("85.50"))
    assert saved.submitted_at is not None
    page = signed_in.get(url).content.decode()
    assert "85.50" in page and "提交评分（提交后锁定）" not in page
    response = post(signed_in, url, saved.version, **{**COMPLETE, "item_leadership": "20"})
    assert response.status_code == 409
    assert "已锁定" in response.content.decode()
    saved.refresh_from_db()
    assert saved.items["leadership"] == "18.00"
    assert Event.objects.filter(target_id=str(saved.pk), action="submit").exists()


def test_the_office_reopens_a_submitted_score_with_a_reason(online, expert, application, office):
    submitted = score(online, application, expert, full_marks(online.rubric, "0.8"))
    with pytest.raises(domain.ScoringRefused, match="理由"):
        domain.reopen_score(submitted, by=office, reason=" ")
    reopened = domain.reopen_score(submitted, by=office, reason="第三项分数与意见不符")
    assert (reopened.state, reopened.submitted_at) == ("draft", None)
    event = Event.objects.get(target_id=str(submitted.pk), action="reopen")
    assert (event.actor, event.reason, event.from_state, event.to_state) == (
        office,
        "第三项分数与意见不符",
        "submitted",
        "draft",
    )
    note = Notification.objects.get(user=expert.user)
    assert "退回修改：第三项分数与意见不符" in note.text
    # The expert can now correct it and submit again.
    again = score(online, application, expert, full_marks(online.rubric, "0.9"))
    assert (again.state, again.total) == ("submitted", Decimal("90.00"))


def test_reopening_needs_a_submitted_score_and_an_open_round(online, expert, application, office):
    draft = score(online, application, expert, {}, submit=False)
    with pytest.raises(domain.ScoringRefused, match="尚未提交"):
        domain.reopen_score(draft, by=office, reason="x")
    submitted = score(online, application, expert, full_marks(online.rubric))
    domain.change_round(online, "close", by=office)
    with pytest.raises(domain.ScoringRefused, match="已结束"):
        domain.reopen_score(submitted, by=office, reason="x")


def test_a_closed_round_takes_no_scores(signed_in, url, online, office):
    domain.change_round(online, "close", by=office)
    response = post(signed_in, url, 0, item_leadership="10")
    assert response.status_code == 409
    assert "本轮评审当前为“已结束”" in response.content.decode()
    assert not Score.objects.exists()


def test_the_database_holds_one_score_per_expert_and_application(online, expert, application):
    score(online, application, expert, {}, submit=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            round=online,
            expert=expert,
            application=application,
            saved_by=expert.user,
            saved_at=online.opened_at,
        )


def test_the_expert_sees_only_their_own_score_and_no_other_expert(
    signed_in, url, online, experts, application
):
    for other in experts[1:]:
        score(
            online,
            application,
            other,
            full_marks(online.rubric, "0.5"),
            opinion=f"{other.name}的意见",
        )
    page = signed_in.get(url).content.decode()
    for other in experts[1:]:
        assert other.name not in page
        assert f"{other.name}的意见" not in page
    assert "50.00" not in page  # nobody else's total


def test_the_experts_list_shows_only_assigned_applications(client, online, experts, office, call):
    from .helpers import assign, make_expert

    newcomer = make_expert("吴六")
    application = online.call.applications.order_by("name").first()
    assign(newcomer, application, office)
    page = sign_in_expert(client, newcomer).get(reverse("scoring:home")).content.decode()
    assert application.name in page
    others = call.applications.exclude(pk=application.pk)
    assert all(other.name not in page for other in others)
