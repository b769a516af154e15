"""A notice's objections on the office's page: search, filters and sorting in the URL, and
their export with the objectors' contact details (office only)."""

import pytest
from django.urls import reverse

from keyprojects.notices import objections

from ..exports import assert_flat_queries, export, page_names, sheet_rows
from ..factories import make_user

pytestmark = pytest.mark.django_db

LIST = "notice_objections"


def file(notice, application, name, **more):
    return objections.file_objection(
        notice,
        application=application,
        reasons="建设内容与往年项目重复。",
        name=name,
        phone="13900000000",
        email="objector@example.com",
        **more,
    )


def test_filter_search_sort_and_the_export(client, notice, listed, office):
    file(notice, listed["key"], "张三")
    file(notice, listed["flagship"], "李四")
    answered = file(notice, listed["key"], "王五")
    answered.state = answered.State.ANSWERED
    answered.save()
    client.force_login(office)
    params = {"state": "received", "sort": "-project"}

    page = client.get(reverse("notices:manage", args=[notice.pk]), params)
    exported = sheet_rows(export(client, LIST, {"notice": notice.pk, **params}))

    by_project = sorted([listed["key"], listed["flagship"]], key=lambda a: a.name, reverse=True)
    expected = ["张三" if a == listed["key"] else "李四" for a in by_project]
    assert page_names(page, ["张三", "李四", "王五"]) == expected
    assert [row["提出人"] for row in exported] == expected
    assert exported[0]["联系电话"] == "13900000000"
    assert exported[0]["办理状态"] == "已受理"


def test_only_the_office_may_export_objections(client, notice, listed):
    file(notice, listed["key"], "张三")
    client.force_login(make_user(None))

    assert export(client, LIST, {"notice": notice.pk}).status_code == 404


def test_the_export_runs_as_many_queries_with_more_objections(client, notice, listed, office):
    file(notice, listed["key"], "第一位")
    client.force_login(office)

    def more():
        for n in range(5):
            file(notice, listed["flagship"], f"又一位{n}")

    exported = assert_flat_queries(
        lambda: sheet_rows(export(client, LIST, {"notice": notice.pk})), more
    )

    assert len(exported) == 6
