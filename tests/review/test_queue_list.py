"""The reviewer's queue as a list: search, filters and sorting in the URL, pages that keep
them, and its XLSX export, which holds exactly what the authority may see."""

import pytest
from django.urls import reverse

from keyprojects.applications.workflow import Status
from keyprojects.orgs.models import Authority, Region

from ..exports import _data, assert_flat_queries, export, page_names, sheet_rows
from ..factories import make_user

LIST = "review_queue"


def organisations(parent, n):
    seats = list(Region.objects.filter(parent_id=parent).select_related("parent"))
    return _data.organisations_with_users(n, seats=seats)


def submitted(call, office, users, n):
    return _data.applications_at_stages(call, users, n, office=office, statuses=[Status.SUBMITTED])


def reviewer(name):
    return make_user(None, authority=Authority.objects.get(name=name))


@pytest.fixture
def nanjing(call, office):
    return submitted(call, office, organisations("320100", 3), 4)


@pytest.fixture
def suzhou(call, office):
    return submitted(call, office, organisations("320500", 2), 3)


def queue(client, call, **params):
    return client.get(reverse("review:queue"), {"call": call.slug, **params})


def test_a_city_lists_and_exports_only_its_own_area(client, call, nanjing, suzhou):
    client.force_login(reviewer("南京市信息化主管部门"))

    page = queue(client, call)
    exported = sheet_rows(export(client, LIST, {"call": call.slug}))

    names = [a.name for a in nanjing]
    assert sorted(page_names(page, names + [a.name for a in suzhou])) == sorted(names)
    assert sorted(row["项目名称"] for row in exported) == sorted(names)
    assert all(row["审核单位"] == "南京市信息化主管部门" for row in exported)


def test_a_city_exports_its_counties_copies_marked_as_such(client, call, office, suzhou):
    peixian = Region.objects.select_related("parent").get(code="320322")  # 徐州市's county
    copy = submitted(call, office, _data.organisations_with_users(1, seats=[peixian]), 1)
    client.force_login(reviewer("徐州市信息化主管部门"))

    exported = sheet_rows(export(client, LIST, {"call": call.slug}))

    assert [(row["项目名称"], row["抄报件"]) for row in exported] == [(copy[0].name, "是")]
    assert exported[0]["审核单位"] == "徐州市沛县信息化主管部门"


def test_search_and_sort_are_carried_by_the_url_and_the_export_follows_them(client, call, nanjing):
    client.force_login(reviewer("南京市信息化主管部门"))
    wanted = sorted(
        (a for a in nanjing if a.organisation_id == nanjing[0].organisation_id),
        key=lambda a: (-(a.total_investment - a.civil_works_investment), a.pk),
    )
    params = {"q": nanjing[0].organisation.name, "sort": "-investment"}

    page = queue(client, call, **params)
    exported = sheet_rows(export(client, LIST, {"call": call.slug, **params}))

    assert page_names(page, [a.name for a in nanjing]) == [a.name for a in wanted]
    assert [row["项目名称"] for row in exported] == [a.name for a in wanted]
    assert 'aria-sort="descending"' in page.content.decode()
    assert 'name="sort" value="-investment"' in page.content.decode()  # the filter form keeps it


def test_pages_keep_the_search_and_the_sort(client, call, office):
    submitted(call, office, organisations("320100", 30), 60)
    client.force_login(reviewer("南京市信息化主管部门"))

    page = queue(client, call, sort="name", q="南京市").content.decode()

    assert "第 1 / 2 页" in page
    assert "sort=name" in page.split("下一页")[0].rsplit("href=", 1)[1]


def test_bad_parameters_are_said_and_the_rest_still_applies(client, call, nanjing):
    client.force_login(reviewer("南京市信息化主管部门"))

    response = queue(client, call, sort="organisation__users__password", status="nope")

    assert response.status_code == 200
    page = response.content.decode()
    assert "部分筛选或排序条件无效" in page
    assert "不能按“organisation__users__password”排序" in page
    assert all(a.name in page for a in nanjing)


def test_the_export_runs_as_many_queries_with_30_rows_as_with_3(client, call, office):
    users = organisations("320100", 3)
    submitted(call, office, users, 3)
    client.force_login(reviewer("南京市信息化主管部门"))

    exported = assert_flat_queries(
        lambda: sheet_rows(export(client, LIST, {"call": call.slug, "sort": "name"})),
        lambda: submitted(call, office, users, 27),
    )

    assert len(exported) == 30


def test_the_status_counts_follow_a_decision_at_once(client, call, nanjing):
    from keyprojects.review import domain

    city = reviewer("南京市信息化主管部门")
    client.force_login(city)
    before = dict(queue(client, call).context["counts"])
    assert before[Status.SUBMITTED.label] == 4

    domain.decide(nanjing[0], "recommend", by=city)

    after = dict(queue(client, call).context["counts"])
    assert after[Status.SUBMITTED.label] == 3 and after[Status.RECOMMENDED.label] == 1
