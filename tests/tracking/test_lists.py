"""The lists of tracking evaluation: the office's tracked projects and a round's reports, the
local authority's reports of its own area only; search, filters, sorting and exports."""

from decimal import Decimal

from django.urls import reverse

from keyprojects.orgs.models import Authority, Region
from keyprojects.tracking.models import ProgressReport

from ..exports import assert_flat_queries, export, page_names, sheet_rows
from ..factories import credit_code, make_user
from .conftest import make_project, open_round

SUZHOU = "320500"


def projects(n, prefix="项目", **fields):
    return [
        make_project(name=f"{prefix}{i:02d}", credit_code=credit_code(), **fields) for i in range(n)
    ]


def test_tracked_projects_filters_sort_and_export(client, office):
    projects(2, "南京平台", amount="900.00")
    suzhou = projects(3, "苏州平台", city=Region.objects.get(code=SUZHOU))
    client.force_login(office)
    params = {"city": SUZHOU, "q": "苏州", "sort": "-name"}

    page = client.get(reverse("tracking:projects"), params)
    exported = sheet_rows(export(client, "tracking_projects", params))

    expected = sorted((p.name for p in suzhou), reverse=True)
    assert page_names(page, [f"南京平台0{i}" for i in range(2)] + expected) == expected
    assert [row["项目名称"] for row in exported] == expected
    assert exported[0]["设区市"] == "苏州市"
    assert exported[0]["信息化投资（万元）"] == 800


def submit_all(round_, authority, **values):
    ProgressReport.objects.filter(round=round_).update(
        state=ProgressReport.State.SUBMITTED, authority=authority, **values
    )


def test_a_round_s_reports_sorted_and_exported(client, office):
    made = projects(3, "跟踪项目")
    round_ = open_round(office)
    nanjing = Authority.objects.get(name="南京市信息化主管部门")
    submit_all(round_, nanjing, investment_completed=Decimal("100.50"))
    ProgressReport.objects.filter(project=made[1]).update(investment_completed=Decimal("300"))
    client.force_login(office)
    params = {"sort": "-completed", "state": "submitted"}

    page = client.get(reverse("tracking:round", args=[round_.pk]), params)
    exported = sheet_rows(export(client, "tracking_round", {"round": round_.pk, **params}))

    order = [made[1].name, made[0].name, made[2].name]  # 300 first, then by the key
    assert page_names(page, [p.name for p in made])[0] == made[1].name
    assert exported[0]["项目名称"] == order[0]
    assert sorted(row["项目名称"] for row in exported) == sorted(order)
    assert exported[0]["累计完成投资（万元）"] == 300
    assert exported[0]["属地主管部门"] == "南京市信息化主管部门"


def test_an_authority_lists_and_exports_only_the_reports_routed_to_it(client, office):
    ours, theirs = projects(2, "南京报告"), projects(2, "苏州报告")
    round_ = open_round(office)
    nanjing = Authority.objects.get(name="南京市信息化主管部门")
    suzhou = Authority.objects.get(name="苏州市信息化主管部门")
    submit_all(round_, nanjing)
    ProgressReport.objects.filter(project__in=theirs).update(authority=suzhou)
    client.force_login(make_user(None, authority=nanjing))

    page = client.get(reverse("tracking:area_reports"), {"sort": "name"})
    exported = sheet_rows(export(client, "tracking_area", {"sort": "name"}))

    names = [p.name for p in ours]
    assert page_names(page, names + [p.name for p in theirs]) == names
    assert [row["项目名称"] for row in exported] == names
    assert {row["轮次"] for row in exported} == {round_.title}


def test_the_exports_run_as_many_queries_with_more_reports(client, office):
    made = projects(2, "第一批")
    round_ = open_round(office)
    nanjing = Authority.objects.get(name="南京市信息化主管部门")
    submit_all(round_, nanjing)
    client.force_login(office)

    def more():
        for project in projects(8, "第二批"):
            ProgressReport.objects.create(
                round=round_,
                project=project,
                state=ProgressReport.State.SUBMITTED,
                authority=nanjing,
            )

    def both():
        projects_rows = sheet_rows(export(client, "tracking_projects"))
        return projects_rows, sheet_rows(export(client, "tracking_round", {"round": round_.pk}))

    tracked, reports = assert_flat_queries(both, more)

    assert (len(tracked), len(reports)) == (len(made) + 8, 10)
