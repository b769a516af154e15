"""The dashboard and its exports: the office's whole province, a local authority's own area."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import Builder, reviewer_of

pytestmark = pytest.mark.django_db


def page_of(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("stats:dashboard"), params)
    assert response.status_code == 200
    return response


def sheet_of(client, user, figure, **params):
    client.force_login(user)
    response = client.get(reverse("stats:export", args=[figure]), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def headline(html, key):
    return re.search(rf'id="total-{key}">([^<]*)<', html).group(1)


def chart(response, key):
    html = response.content.decode()
    match = re.search(
        rf'<script id="chart-data-{key}" type="application/json">(.*?)</script>', html
    )
    return json.loads(match.group(1))


def test_the_office_sees_the_province(client, world, call, office):
    response = page_of(client, office, call=call.slug)
    html = response.content.decode()
    assert headline(html, "applications") == "8"
    assert headline(html, "recommended") == "6"
    assert headline(html, "selected") == "3"
    assert headline(html, "investment") == "10050.50"
    assert headline(html, "selected-investment") == "6800.00"
    assert "范围：全省" in html
    assert response.context["tracking_completion"] is None  # the slot for the tracking app
    # The chart draws exactly what the table beside it says.
    category = chart(response, "category")
    assert category["labels"] == ["数字基建类", "数字经济类", "数字治理类", "网络安全类"]
    assert category["series"][0] == {"name": "申报数", "values": [1, 2, 4, 1]}
    assert category["lines"][0]["values"] == ["900.00", "3400.50", "2750.00", "3000.00"]
    assert chart(response, "funnel")["values"] == [10, 8, 6, 4, 3]
    assert len(chart(response, "city")["labels"]) == 14


def test_without_a_call_every_year_counts(client, world, office):
    html = page_of(client, office).content.decode()
    assert headline(html, "applications") == "10"  # 8 in 2020, 2 in 2021


def test_the_category_filter_reaches_the_page_and_the_export_links(client, world, call, office):
    response = page_of(client, office, call=call.slug, category="digital_economy")
    html = response.content.decode()
    assert headline(html, "applications") == "2"
    assert f'href="/stats/export/city.xlsx?call={call.slug}&amp;category=digital_economy"' in html


def test_a_city_dashboard_counts_only_its_own_area(client, world, call):
    xuzhou = reviewer_of("徐州市信息化主管部门")
    response = page_of(client, xuzhou, call=call.slug)
    html = response.content.decode()
    assert "范围：徐州市信息化主管部门" in html
    assert headline(html, "applications") == "2"  # 沛县 (copied county) and a 徐州 district
    assert headline(html, "recommended") == "2"
    assert headline(html, "selected") == "0"
    assert headline(html, "investment") == "1550.00"
    # Nothing of another city: neither its name nor its figures.
    for other in ["南京市", "苏州市", "省级", "2,400.50", "3,100.00", "10050.50"]:
        assert other not in html
    assert chart(response, "city")["labels"] == ["徐州市"]
    assert chart(response, "funnel")["labels"][0] == "已提交"  # no drafts outside the office


def test_a_city_export_obeys_the_same_scope(client, world, call, office):
    rows = sheet_of(client, reviewer_of("徐州市信息化主管部门"), "city", call=call.slug)
    assert rows[0][0] == "智慧江苏重点工程统计：按设区市"
    assert "范围：徐州市信息化主管部门" in rows[1][0]
    assert rows[2][:4] == ["设区市", "申报数", "推荐数", "入选数"]
    body = [row for row in rows[3:] if row[1] is not None]
    assert body == [
        ["徐州市", 2, 2, 0, Decimal("1550"), Decimal("0")],
        ["合计", 2, 2, 0, Decimal("1550"), Decimal("0")],
    ]
    office_rows = sheet_of(client, office, "city", call=call.slug)
    assert "南京市" in [row[0] for row in office_rows]


def test_the_category_export_has_a_totals_row(client, world, call, office):
    rows = sheet_of(client, office, "category", call=call.slug)
    assert rows[3] == ["数字基建类", 1, 1, 0, Decimal("900"), Decimal("0")]
    total = next(row for row in rows if row[0] == "合计")
    assert total == ["合计", 8, 6, 3, Decimal("10050.5"), Decimal("6800")]


def test_the_funnel_and_year_exports(client, world, call, office):
    funnel = sheet_of(client, office, "funnel", call=call.slug)
    assert funnel[3:8] == [
        ["填报（含草稿）", 10],
        ["已提交", 8],
        ["已推荐", 6],
        ["形式审查通过", 4],
        ["入选", 3],
    ]
    years = sheet_of(client, office, "year", call=call.slug)  # the year axis ignores the call
    assert [row[0] for row in years[3:5]] == ["2020", "2021"]


def test_an_unknown_figure_is_not_found(client, office, regions):
    client.force_login(office)
    assert client.get("/stats/export/secrets.xlsx").status_code == 404


def test_an_invalid_filter_counts_as_all(client, world, office):
    html = page_of(client, office, call="no-such-call", category="x").content.decode()
    assert headline(html, "applications") == "10"


def queries_of(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context)


@pytest.mark.parametrize("who", ["office", "徐州市信息化主管部门"])
def test_the_dashboard_runs_a_fixed_number_of_queries(client, call, office, world, who):
    client.force_login(office if who == "office" else reviewer_of(who))
    url = reverse("stats:dashboard")
    before = queries_of(client, url, {"call": call.slug})
    build = Builder(call, office)
    for n, seat in enumerate(["320102", "320322", "320505", "320302"]):
        build(f"又一个项目{n}", "recommended", seat, "digital_economy", "800.00")
    assert queries_of(client, url, {"call": call.slug}) == before <= 18
    assert (
        queries_of(client, reverse("stats:export", args=["city"])) <= 14
    )  # with the audit of the download


def test_the_page_loads_echarts_and_its_script_from_static_files(client, office, regions):
    html = page_of(client, office).content.decode()
    assert '<script src="/static/vendor/echarts/echarts.min.js" defer></script>' in html
    assert '<script src="/static/stats/dashboard.js" defer></script>' in html
    assert "style=" not in html  # the CSP forbids inline style
