"""Each list page runs as many SQL queries with 30 rows as with 3 (issue 7).

The rows are inserted as the benches insert them (bench/_data.py): statuses, routing,
formal checks, decisions and cases as the workflow leaves them, without running it, so
these tests stay quick. Each test also checks that the extra rows are on the page, so a
page that stopped listing them could not pass by running fewer queries.
"""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.applications.workflow import Status

from .conftest import _data

STAGES = [Status.SUBMITTED, Status.RECOMMENDED, Status.CHECK_PASSED, Status.SELECTED]
FEW, MANY = 3, 30
CASE_LINK = re.compile(r'href="/cases/[0-9a-f-]{36}/"')


def queries_on(client, url):
    """(queries, page text) of a second GET: the first warms the session and the caches. The
    figures kept until the next event (audit.queries.until_next_event) are emptied, here and
    before each measured GET, so that it is their computation that must not grow."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def add_rows(call, users, n, office, statuses=STAGES):
    return _data.applications_at_stages(call, users, n, office=office, statuses=statuses)


def test_applicant_home(client, call, applicant, office, django_assert_num_queries):
    client.force_login(applicant)
    add_rows(call, [applicant], FEW, office)
    few, _page = queries_on(client, reverse("applications:home"))
    rows = add_rows(call, [applicant], MANY - FEW, office)
    cache.clear()
    with django_assert_num_queries(few):
        page = client.get(reverse("applications:home")).content.decode()
    assert all(a.name in page for a in rows)


def test_reviewer_queue(
    client, call, office, nanjing_reviewer, nanjing_applicants, django_assert_num_queries
):
    client.force_login(nanjing_reviewer)
    url = f"{reverse('review:queue')}?call={call.slug}"
    add_rows(call, nanjing_applicants(FEW), FEW, office)
    few, _page = queries_on(client, url)
    rows = add_rows(call, nanjing_applicants(MANY - FEW), MANY - FEW, office)
    cache.clear()
    with django_assert_num_queries(few):
        page = client.get(url).content.decode()
    assert all(a.name in page for a in rows)


def test_office_list(client, call, office, nanjing_applicants, django_assert_num_queries):
    client.force_login(office)
    url = reverse("selection:overview", args=[call.slug])
    recommended_onwards = STAGES[1:]
    add_rows(call, nanjing_applicants(FEW), FEW, office, recommended_onwards)
    few, _page = queries_on(client, url)
    rows = add_rows(call, nanjing_applicants(MANY - FEW), MANY - FEW, office, recommended_onwards)
    cache.clear()
    with django_assert_num_queries(few):
        page = client.get(url).content.decode()
    assert all(a.name in page for a in rows)  # 30 rows fit on the first page (50)


def test_public_notice(client, call, office, nanjing_applicants, django_assert_num_queries):
    selected = [Status.SELECTED]
    add_rows(call, nanjing_applicants(FEW), FEW, office, selected)
    url = reverse("notices:public", args=[_data.published_notice(call, office).pk])
    few, _page = queries_on(client, url)
    rows = add_rows(call, nanjing_applicants(MANY - FEW), MANY - FEW, office, selected)
    cache.clear()
    with django_assert_num_queries(few):
        page = client.get(url).content.decode()
    assert all(a.name in page for a in rows)


def test_case_library(client, call, office, nanjing_applicants, django_assert_num_queries):
    from keyprojects.cases.public_views import PER_PAGE  # the library is new: kept local

    selected = [Status.SELECTED]
    add_rows(call, nanjing_applicants(FEW), FEW, office, selected)
    assert _data.published_cases(call, office) == FEW
    url = reverse("cases:library")
    few, _page = queries_on(client, url)
    add_rows(call, nanjing_applicants(MANY - FEW), MANY - FEW, office, selected)
    assert _data.published_cases(call, office) == MANY - FEW
    cache.clear()
    with django_assert_num_queries(few):
        page = client.get(url).content.decode()
    assert len(CASE_LINK.findall(page)) == PER_PAGE  # a full first page
    cache.clear()
    with django_assert_num_queries(few):
        last = client.get(f"{url}?page=3").content.decode()
    assert len(CASE_LINK.findall(last)) == MANY - 2 * PER_PAGE


def test_reviewer_queue_pages_keep_the_filters(
    client, call, office, nanjing_reviewer, nanjing_applicants
):
    rows = add_rows(call, nanjing_applicants(60), 60, office)
    client.force_login(nanjing_reviewer)

    first = client.get(reverse("review:queue"), {"call": call.slug}).content.decode()
    second = client.get(reverse("review:queue"), {"call": call.slug, "page": 2}).content.decode()

    assert "共 60 个项目" in first and "第 1 / 2 页" in first
    assert f"?call={call.slug}&amp;page=2" in first  # the next page keeps the chosen call
    shown = [a.name for a in rows if a.name in first]
    assert len(shown) == 50
    assert sorted(shown + [a.name for a in rows if a.name in second]) == sorted(
        a.name for a in rows
    )
