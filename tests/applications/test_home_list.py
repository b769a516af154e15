"""我的申报 as a list: the organisation's own applications only, filtered by the statuses the
applicant is shown (never the province's internal steps), sorted, exported."""

from django.urls import reverse

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status

from ..exports import assert_flat_queries, export, page_names, sheet_rows
from ..factories import make_application

LIST = "applicant_home"


def home(client, **params):
    return client.get(reverse("applications:home"), params)


def with_status(call, user, name, status):
    application = make_application(call, user, name=name, attach=False)
    Application.objects.filter(pk=application.pk).update(status=status)
    return application


def test_only_the_organisation_s_applications_are_listed_and_exported(
    client, call, applicant, stranger
):
    mine = with_status(call, applicant, "本单位的项目", Status.DRAFT)
    with_status(call, stranger, "别人的项目", Status.DRAFT)
    client.force_login(applicant)

    page = home(client)
    exported = sheet_rows(export(client, LIST))

    assert page_names(page, ["本单位的项目", "别人的项目"]) == ["本单位的项目"]
    assert [row["项目名称"] for row in exported] == [mine.name]


def test_internal_steps_read_and_filter_as_recommended(client, call, applicant):
    with_status(call, applicant, "形式审查已通过的项目", Status.CHECK_PASSED)
    with_status(call, applicant, "草稿项目", Status.DRAFT)
    client.force_login(applicant)

    recommended = home(client, status="recommended")
    exported = sheet_rows(export(client, LIST, {"status": "recommended"}))
    probing = home(client, status="check_passed")  # not a status the applicant is shown

    assert page_names(recommended, ["形式审查已通过的项目", "草稿项目"]) == ["形式审查已通过的项目"]
    assert [(row["项目名称"], row["状态"]) for row in exported] == [
        ("形式审查已通过的项目", "已推荐")
    ]
    assert "部分筛选或排序条件无效" in probing.content.decode()
    assert "形式审查通过" not in probing.content.decode()


def test_search_and_sort(client, call, applicant):
    for name in ["乙项目平台", "甲项目平台", "丙工程"]:
        with_status(call, applicant, name, Status.DRAFT)
    client.force_login(applicant)

    page = home(client, q="项目", sort="-name")
    exported = sheet_rows(export(client, LIST, {"q": "项目", "sort": "-name"}))

    expected = sorted(["乙项目平台", "甲项目平台"], reverse=True)
    assert page_names(page, ["乙项目平台", "甲项目平台", "丙工程"]) == expected
    assert [row["项目名称"] for row in exported] == expected


def test_the_export_runs_as_many_queries_with_more_rows(client, call, applicant):
    with_status(call, applicant, "第一个项目", Status.DRAFT)
    client.force_login(applicant)

    def more():
        for n in range(5):
            with_status(call, applicant, f"又一个项目{n}", Status.DRAFT)

    exported = assert_flat_queries(lambda: sheet_rows(export(client, LIST)), more)

    assert len(exported) == 6
