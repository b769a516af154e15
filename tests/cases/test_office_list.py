"""The office's list of typical cases: search, filters and sorting in the URL, and its export."""

from django.urls import reverse

from keyprojects.applications.workflow import Status
from keyprojects.cases.models import Case

from ..exports import _data, assert_flat_queries, export, page_names, sheet_rows
from ..factories import make_user

LIST = "case_office"


def published(call, office, n, users=None):
    users = users or _data.organisations_with_users(n, seats=_data.county_seats()[:10])
    _data.applications_at_stages(call, users, n, office=office, statuses=[Status.SELECTED])
    _data.published_cases(call, office)
    return list(Case.objects.order_by("title"))


def office_list(client, **params):
    return client.get(reverse("cases:office"), params)


def test_filters_search_and_sort_and_the_export_follows_them(client, call, office):
    cases = published(call, office, 4)
    Case.objects.filter(pk=cases[0].pk).update(state=Case.State.UNPUBLISHED)
    client.force_login(office)
    params = {"state": "published", "q": "典型案例", "sort": "-title"}

    page = office_list(client, **params)
    exported = sheet_rows(export(client, LIST, params))

    expected = sorted((c.title for c in cases[1:]), reverse=True)
    assert page_names(page, [c.title for c in cases]) == expected
    assert [row["案例标题"] for row in exported] == expected
    assert {row["状态"] for row in exported} == {"已发布"}
    assert exported[0]["申报单位意见"] == "已同意"


def test_a_bad_state_is_said_not_ignored_silently(client, call, office):
    published(call, office, 1)
    client.force_login(office)

    page = office_list(client, state="secret").content.decode()

    assert "部分筛选或排序条件无效" in page and "状态：" in page


def test_only_the_office_may_export_cases(client, call, office):
    published(call, office, 1)
    client.force_login(make_user(None))

    assert export(client, LIST).status_code == 404


def test_the_export_runs_as_many_queries_with_more_cases(client, call, office):
    users = _data.organisations_with_users(3, seats=_data.county_seats()[:10])
    published(call, office, 3, users)
    client.force_login(office)

    exported = assert_flat_queries(
        lambda: sheet_rows(export(client, LIST, {"sort": "year"})),
        lambda: published(call, office, 9, users),
    )

    assert len(exported) == 12
