"""The funding priority list as a list: search and sorting in the URL, and its own export,
which holds every listed project, marked or not (the finance table keeps only the marked)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from keyprojects.stats import domain

from ..exports import assert_flat_queries, export, page_names, sheet_rows
from .conftest import Builder

pytestmark = pytest.mark.django_db

LIST = "funding"
SELECTED = ["南京入选", "苏州入选", "省属入选", "南京次年入选"]


def test_sort_by_amount_and_the_export_holds_marked_and_unmarked(client, world, office):
    domain.mark(world["苏州入选"], amount=Decimal("300"), by=office, expected_version=0)
    domain.mark(world["南京入选"], amount=Decimal("520.50"), by=office, expected_version=0)
    client.force_login(office)

    page = client.get(reverse("stats:funding"), {"sort": "-amount"})
    exported = sheet_rows(export(client, LIST, {"sort": "-amount"}))

    assert page_names(page, SELECTED)[:2] == ["南京入选", "苏州入选"]
    assert [row["项目名称"] for row in exported][:2] == ["南京入选", "苏州入选"]
    assert sorted(row["项目名称"] for row in exported) == sorted(SELECTED)
    first = exported[0]
    assert (first["优先支持"], first["支持金额（万元）"]) == ("是", 520.5)
    assert exported[-1]["优先支持"] is None and exported[-1]["支持金额（万元）"] is None


def test_search_by_name_or_credit_code(client, world, office):
    client.force_login(office)
    code = world["省属入选"].organisation.credit_code

    by_name = sheet_rows(export(client, LIST, {"q": "次年"}))
    by_code = sheet_rows(export(client, LIST, {"q": code}))

    assert [row["项目名称"] for row in by_name] == ["南京次年入选"]
    assert [row["项目名称"] for row in by_code] == ["省属入选"]


def test_the_export_runs_as_many_queries_with_more_projects(client, world, call, office):
    client.force_login(office)
    build = Builder(call, office)
    build.tier = call.tiers.order_by("order").last()

    def more():
        for n, seat in enumerate(["320102", "320322", "320505"]):
            application = build(f"又一个入选项目{n}", "selected", seat, "digital_economy", "800")
            domain.mark(application, amount=Decimal("10"), by=office, expected_version=0)

    exported = assert_flat_queries(lambda: sheet_rows(export(client, LIST)), more)

    assert len(exported) == len(SELECTED) + 3
