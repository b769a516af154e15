"""The office's overview of a call: every recommended application, filters that live in
the address, pages, counts, a bounded number of queries, and who has not yet sent."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.applications import workflow
from keyprojects.applications.models import Application
from keyprojects.orgs.models import Authority
from keyprojects.review import domain as review
from keyprojects.selection import domain, views
from keyprojects.selection.models import SimilarPair

from . import texts
from .conftest import provincial_soe, recommended, submitted
from .test_verdicts import ALL_PASS, send


def names(response):
    return {a.name for a in response.context["page"]}


@pytest.fixture
def spread(call, regions):
    """Recommended applications of four authorities, two categories, three cities."""
    economy = call.categories.get(code="digital_economy")
    return {
        "nanjing": recommended(call, seat="320102", name="玄武区一网统管平台"),
        "peixian": recommended(call, seat="320322", name="沛县智慧农业平台", category=economy),
        "suzhou": recommended(
            call, seat="320505", name="苏州高新区工业互联网平台", category=economy
        ),
        "soe": recommended(call, organisation=provincial_soe(), name="省港航数字航道系统"),
    }


def overview_url(call, query=""):
    return reverse("selection:overview", args=[call.slug]) + (f"?{query}" if query else "")


def test_every_recommended_application_is_listed_and_nothing_else(client, call, office, spread):
    submitted(call, name="尚未推荐的项目")
    not_recommended = submitted(call, seat="320505", name="不予推荐的项目")
    review.decide(
        not_recommended,
        "not_recommend",
        by=Authority.objects.get(name="苏州市信息化主管部门").reviewers.first(),
        reason="不符合条件",
    )
    client.force_login(office)
    response = client.get(overview_url(call))
    assert response.status_code == 200
    assert names(response) == {a.name for a in spread.values()}
    assert response.context["counts"]["total"] == 4


FILTER_CASES = [
    ("category={economy}", {"peixian", "suzhou"}),
    ("city=320300", {"peixian"}),  # 沛县 is a county of 徐州市
    ("city=320100", {"nanjing", "soe"}),  # the SOE sits in a Nanjing district
    ("authority={transport}", {"soe"}),
    ("state=passed", {"nanjing"}),
    ("state=pending", {"peixian", "suzhou", "soe"}),
    ("state=failed", set()),
    ("category={economy}&city=320500", {"suzhou"}),
]


def test_filters(client, call, office, spread):
    domain.record_check(
        spread["nanjing"],
        results=ALL_PASS,
        notes="",
        verdict="pass",
        reason="",
        by=office,
        expected_version=0,
    )
    client.force_login(office)
    for template, expected in FILTER_CASES:
        query = template.format(
            economy=call.categories.get(code="digital_economy").pk,
            transport=Authority.objects.get(name="省交通运输厅").pk,
        )
        response = client.get(overview_url(call, query))
        assert names(response) == {spread[key].name for key in expected}, query
        # The filter lives in the address: going back to it shows the same list, the form
        # shows what was chosen, and each checklist page links back to this very list.
        for name, value in (part.split("=") for part in query.split("&")):
            assert str(response.context["filters"][name].value()) == value
        back = urlencode({"back": query})
        for application in response.context["page"]:
            link = reverse("selection:check", args=[application.pk]) + "?" + back
            assert link.replace("&", "&amp;") in response.content.decode()
        if expected:
            check_page = client.get(link)
            assert check_page.context["back_url"] == overview_url(call, query)


def test_counts_by_category_city_and_authority(client, call, office, spread):
    client.force_login(office)
    counts = client.get(overview_url(call)).context["counts"]
    assert {row["category__name"]: row["n"] for row in counts["category"]} == {
        "数字经济类": 2,
        "数字治理类": 2,
    }
    assert {row["organisation__seat__parent__name"]: row["n"] for row in counts["city"]} == {
        "南京市": 2,
        "徐州市": 1,
        "苏州市": 1,
    }
    assert {row["authority__name"]: row["n"] for row in counts["authority"]} == {
        "南京市信息化主管部门": 1,
        "徐州市沛县信息化主管部门": 1,
        "苏州市信息化主管部门": 1,
        "省交通运输厅": 1,
    }
    assert counts["state"] == {"pending": 4, "passed": 0, "failed": 0}


def test_pages_keep_the_filter(client, call, office, spread, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client.force_login(office)
    first = client.get(overview_url(call, "state=pending"))
    second = client.get(overview_url(call, "state=pending&page=2"))
    assert len(first.context["page"]) == 3 and len(second.context["page"]) == 1
    assert names(first) | names(second) == {a.name for a in spread.values()}
    assert "?state=pending&amp;page=2" in first.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, call, office, regions, django_assert_max_num_queries
):
    first = recommended(
        call, seat="320102", name="城市智慧水务平台", construction_content=texts.WATER
    )
    client.force_login(office)
    client.get(overview_url(call))  # warm the session and the caches
    cache.clear()  # the counts kept until the next event: measure computing them
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(overview_url(call)).status_code == 200

    # More rows, of other authorities, checked, failed, with attachments missing and pairs.
    second = recommended(
        call, seat="320322", name="智慧水务管理平台", construction_content=texts.WATER_BY_PARTNER
    )
    for seat in ["320505", "320281", "320102"]:
        recommended(
            call, seat=seat, name=f"项目{seat}", construction_content=texts.EDUCATION + seat
        )
    domain.record_check(
        first, results=ALL_PASS, notes="", verdict="pass", reason="", by=office, expected_version=0
    )
    workflow.perform(second, "fail_check", by=office, reason="重复申报")
    SimilarPair.objects.create(
        call=call,
        application=first,
        other_application=second,
        estimated_jaccard=0.7,
        jaccard=0.7,
        name_jaccard=0.5,
        found_at=first.submitted_at,
    )
    Application.objects.get(pk=second.pk).attachments.all().delete()
    cache.clear()
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        response = client.get(overview_url(call))
    assert len(response.context["page"]) == 5
    body = response.content.decode()
    assert "疑似重复 1" in body and "缺必传附件" in body


def test_authorities_that_have_not_sent(client, call, office, nanjing, nanjing_reviewer, spread):
    send(call, nanjing, nanjing_reviewer)
    client.force_login(office)
    response = client.get(overview_url(call))
    not_sent = {a.name for a, _batch in response.context["not_sent"]}
    sent = {a.name for a, _batch in response.context["sent"]}
    assert sent == {"南京市信息化主管部门"}
    # Every other city and county authority, sent or not, with or without applications...
    assert {
        "徐州市信息化主管部门",
        "徐州市沛县信息化主管部门",
        "无锡市江阴市信息化主管部门",
    } <= not_sent
    local = Authority.objects.filter(kind__in=["city", "county"]).exclude(
        region__abolished_on__isnull=False  # 海门市 became a district in 2020
    )
    assert {a.name for a in local} - sent <= not_sent
    # ...and the provincial departments that have applications routed to them, only.
    assert "省交通运输厅" in not_sent
    assert "省教育厅" not in not_sent
    assert "南通市海门市信息化主管部门" not in not_sent | sent
    departments = {"省交通运输厅"}
    assert len(not_sent) == local.count() - len(sent) + len(departments)
    body = response.content.decode()
    assert f"未报送 {len(not_sent)} 个单位" in body


def test_a_recommendation_in_progress_is_not_sent(client, call, office, nanjing, spread):
    review.batch_for(call, nanjing)  # opened by the reviewer, not sent
    client.force_login(office)
    response = client.get(overview_url(call))
    assert "南京市信息化主管部门" in {a.name for a, _b in response.context["not_sent"]}
    assert not response.context["sent"]


def test_the_counts_follow_a_verdict_at_once(client, call, office, regions):
    first = recommended(call, seat="320102", name="城市智慧水务平台")
    recommended(call, seat="320322", name="智慧交通平台")
    client.force_login(office)
    before = client.get(overview_url(call)).context["counts"]["state"]
    assert before == {"pending": 2, "passed": 0, "failed": 0}

    domain.record_check(
        first, results=ALL_PASS, notes="", verdict="pass", reason="", by=office, expected_version=0
    )

    after = client.get(overview_url(call)).context["counts"]["state"]
    assert after == {"pending": 1, "passed": 1, "failed": 0}
