"""The office's pages: the review plan (with its optimistic lock), the pool list and search,
the assignment page after a run, and hand edits refused with the reason on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.audit.models import Event
from keyprojects.experts import assignment
from keyprojects.experts.models import Assignment, ReviewPlan

from .conftest import make_expert, passed_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, office):
    client.force_login(office)
    return client


def test_the_office_edits_the_review_plan(signed_in, call, office):
    url = reverse("experts:plan", args=[call.slug])
    page = signed_in.get(url)
    version = page.context["form"]["version"].value()

    response = signed_in.post(
        url, {"experts_per_application": 7, "max_per_expert": 12, "version": version}
    )

    assert response.status_code == 302
    plan = ReviewPlan.objects.get(call=call)
    assert (plan.experts_per_application, plan.max_per_expert, plan.blind) == (7, 12, False)
    event = Event.objects.get(action="update_plan")
    assert event.actor == office
    assert event.data["before"]["experts_per_application"] == 5
    assert event.data["after"]["experts_per_application"] == 7


def test_a_stale_plan_form_is_refused_and_keeps_what_was_typed(signed_in, call, office):
    url = reverse("experts:plan", args=[call.slug])
    stale = signed_in.get(url).context["form"]["version"].value()
    signed_in.post(url, {"experts_per_application": 4, "max_per_expert": 10, "version": stale})

    response = signed_in.post(
        url, {"experts_per_application": 6, "max_per_expert": 30, "version": stale}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "评审方案已于" in body and "被 office 修改，您的修改未保存" in body
    assert response.context["form"]["max_per_expert"].value() == "30"
    plan = ReviewPlan.objects.get(call=call)
    assert (plan.experts_per_application, plan.max_per_expert) == (4, 10)


def test_an_impossible_plan_value_is_explained(signed_in, call):
    url = reverse("experts:plan", args=[call.slug])
    version = signed_in.get(url).context["form"]["version"].value()
    response = signed_in.post(
        url, {"experts_per_application": 0, "max_per_expert": 10, "version": version}
    )
    assert response.status_code == 400
    assert "每个项目的评审专家数应在 1 到 15 之间" in response.content.decode()


def test_the_pool_is_searched_by_name_category_and_city(signed_in, call):
    xuzhou = make_expert(city="320300", categories=["cybersecurity"])
    wuxi = make_expert(city="320200", categories=["digital_governance", "digital_economy"])
    url = reverse("experts:pool")

    def shown(**query):
        return {e.pk for e in signed_in.get(url, query).context["page"]}

    assert shown() == {xuzhou.pk, wuxi.pk}
    assert shown(q=wuxi.name) == {wuxi.pk}
    assert shown(q=xuzhou.organisation_name) == {xuzhou.pk}
    assert shown(category="digital_economy") == {wuxi.pk}
    assert shown(city="320300") == {xuzhou.pk}
    page = signed_in.get(url).content.decode()
    assert "网络安全类" in page and "数字经济类" in page


def test_the_pool_list_runs_a_fixed_number_of_queries(signed_in, call):
    make_expert()
    with CaptureQueriesContext(connection) as one:
        signed_in.get(reverse("experts:pool"))
    make_expert()
    make_expert()
    with CaptureQueriesContext(connection) as three:
        signed_in.get(reverse("experts:pool"))
    assert len(three) == len(one)


def test_running_from_the_page_shows_why_it_cannot(signed_in, call, office):
    application = passed_application(call, office, seat="320102")
    make_expert(city="320100")  # 南京: must not review a 南京 project

    response = signed_in.post(reverse("experts:run_assignment", args=[call.slug]), follow=True)

    body = response.content.decode()
    assert "无法完成分配，原有分配未改变" in body
    assert f"项目“{application.name}”" in body and "只有 0 名" in body
    assert "数字治理类：1 个项目 × 每个项目 5 名专家 = 需要 5 人次" in body


def test_running_from_the_page_assigns(signed_in, call, office):
    ReviewPlan.objects.create(call=call, experts_per_application=1)
    application = passed_application(call, office, seat="320102")
    expert = make_expert(city="320300")

    response = signed_in.post(reverse("experts:run_assignment", args=[call.slug]), follow=True)

    assert "专家分配已完成：新分配 1 人次" in response.content.decode()
    assert Assignment.objects.get().expert == expert
    page = signed_in.get(reverse("experts:assignment", args=[call.slug])).content.decode()
    assert application.name in page and expert.name in page


def test_a_refused_hand_edit_says_why_on_the_page(signed_in, call, office):
    application = passed_application(call, office, seat="320102")
    nanjing = make_expert(city="320100")
    url = reverse("experts:application", args=[application.pk])

    response = signed_in.post(url, {"expert": str(nanjing.pk), "reason": "试试"})

    assert response.status_code == 400
    body = response.content.decode()
    assert f"专家{nanjing.name}须回避该项目：专家与申报单位同属南京市" in body
    assert response.context["form"]["reason"].value() == "试试"
    assert not Assignment.objects.exists()


def test_the_load_limit_is_refused_on_the_page(signed_in, call, office):
    ReviewPlan.objects.create(call=call, max_per_expert=1)
    first = passed_application(call, office, seat="320102")
    second = passed_application(call, office, seat="320102")
    expert = make_expert()
    assignment.add_expert(first, expert, by=office)

    response = signed_in.post(
        reverse("experts:application", args=[second.pk]), {"expert": str(expert.pk)}
    )

    assert response.status_code == 400
    assert "达到每位专家最多 1 个的上限" in response.content.decode()


def test_the_office_removes_an_expert_with_a_reason(signed_in, call, office):
    application = passed_application(call, office, seat="320102")
    item = assignment.add_expert(application, make_expert(), by=office)
    url = reverse("experts:remove_assignment", args=[item.pk])

    page = signed_in.post(url, {"reason": ""}, follow=True).content.decode()
    assert "请填写移除的理由" in page and Assignment.objects.exists()

    page = signed_in.post(url, {"reason": "专家出差"}, follow=True).content.decode()
    assert "移出项目" in page and not Assignment.objects.exists()
