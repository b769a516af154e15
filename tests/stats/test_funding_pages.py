"""The office's funding priority pages: the list and its filters, marking, stale saves,
unmarking, and the XLSX for the finance process."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.notices import decisions
from keyprojects.stats import domain
from keyprojects.stats.models import FundingPriority

from .conftest import Builder

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client


def names_listed(response):
    return re.findall(r"<tr>\s*<td>([^<]+?)(?: <span|</td>)", response.content.decode())


def test_the_list_shows_the_selected_projects(office_client, world):
    response = office_client.get(reverse("stats:funding"))
    assert response.status_code == 200
    assert sorted(names_listed(response)) == sorted(
        ["南京入选", "苏州入选", "省属入选", "南京次年入选"]
    )


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"city": "320500"}, ["苏州入选"]),
        ({"city": "320000"}, ["省属入选"]),
        ({"category": "digital_governance"}, ["南京次年入选", "南京入选"]),
        ({"call": "next"}, ["南京次年入选"]),
        ({"marked": "yes"}, ["苏州入选"]),
        ({"marked": "no", "call": "test"}, ["南京入选", "省属入选"]),
    ],
)
def test_the_filters(office_client, world, office, params, expected):
    domain.mark(world["苏州入选"], amount=Decimal("300"), by=office, expected_version=0)
    response = office_client.get(reverse("stats:funding"), params)
    assert sorted(names_listed(response)) == sorted(expected)


def test_marking_from_the_page_then_exporting(office_client, world, call):
    application = world["苏州入选"]
    url = reverse("stats:funding_edit", args=[application.pk])
    assert "标记专项资金优先支持" in office_client.get(url).content.decode()
    response = office_client.post(
        url + "?back=city%3D320500",
        {"amount": "520.50", "note": "支持工业互联网平台推广", "version": "0"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("stats:funding") + "?city=320500"
    listed = office_client.get(response["Location"]).content.decode()
    assert "520.50" in listed and "优先支持" in listed

    export = office_client.get(reverse("stats:funding_export"), {"call": call.slug})
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "智慧江苏重点工程专项资金优先支持项目表"
    assert list(rows[2]) == [
        "序号",
        "项目名称",
        "申报单位",
        "统一社会信用代码",
        "所在地",
        "类别",
        "总投资（万元）",
        "支持金额（万元）",
        "备注",
    ]
    organisation = application.organisation
    assert list(rows[3]) == [
        1,
        "苏州入选",
        organisation.name,
        organisation.credit_code,
        "苏州市虎丘区",
        "数字经济类",
        Decimal("2600"),
        Decimal("520.5"),
        "支持工业互联网平台推广",
    ]
    assert list(rows[4])[:2] == ["合计", "1个项目"]
    assert list(rows[4])[6:8] == [Decimal("2600"), Decimal("520.5")]


def test_an_amount_above_the_total_is_refused_and_the_typed_values_stay(office_client, world):
    url = reverse("stats:funding_edit", args=[world["苏州入选"].pk])
    response = office_client.post(url, {"amount": "9999", "note": "我的备注", "version": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "支持金额不能超过项目总投资（2600.00 万元）" in html
    assert 'value="9999"' in html and "我的备注" in html
    assert not FundingPriority.objects.exists()


def test_a_stale_save_is_refused_with_409_and_keeps_what_was_typed(office_client, world, office):
    application = world["苏州入选"]
    domain.mark(application, amount=Decimal("300"), by=office, expected_version=0)
    url = reverse("stats:funding_edit", args=[application.pk])
    response = office_client.post(url, {"amount": "777", "note": "我填写的", "version": "0"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "已被他人修改" in html
    assert 'value="777"' in html and "我填写的" in html
    assert 'name="version" value="1"' in html  # a second submit knowingly replaces it
    assert FundingPriority.objects.get().amount == Decimal("300.00")


def test_unmarking_from_the_page(office_client, world, office):
    application = world["苏州入选"]
    domain.mark(application, amount=Decimal("300"), by=office, expected_version=0)
    url = reverse("stats:funding_unmark", args=[application.pk])
    refused = office_client.post(url, {"reason": "", "version": "1"})
    assert refused.status_code == 400
    assert "请填写取消优先支持的理由" in refused.content.decode()
    assert office_client.post(url, {"reason": "另有资金渠道", "version": "1"}).status_code == 302
    assert not FundingPriority.objects.get().is_marked
    page = office_client.get(reverse("stats:funding_edit", args=[application.pk])).content.decode()
    assert "另有资金渠道" in page


def test_a_marked_project_withdrawn_from_the_list_is_flagged_and_not_exported(
    office_client, world, office
):
    application = world["苏州入选"]
    domain.mark(application, amount=Decimal("300"), by=office, expected_version=0)
    decisions.not_select(application, "异议成立，撤销入选", by=office)
    listed = office_client.get(reverse("stats:funding"), {"marked": "yes"})
    assert names_listed(listed) == ["苏州入选"]
    assert "已不在入选名单" in listed.content.decode()
    export = office_client.get(reverse("stats:funding_export"))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[3][:2] == ("合计", "0个项目")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_list_runs_a_fixed_number_of_queries(office_client, world, call, office):
    url = reverse("stats:funding")
    domain.mark(world["苏州入选"], amount=Decimal("300"), by=office, expected_version=0)
    before = count_queries(office_client, url)
    build = Builder(call, office)
    build.tier = call.tiers.order_by("order").last()
    for n, seat in enumerate(["320102", "320322", "320505"]):
        application = build(f"又一个入选项目{n}", "selected", seat, "digital_economy", "800.00")
        domain.mark(application, amount=Decimal("10"), by=office, expected_version=0)
    assert count_queries(office_client, url) == before <= 12
