"""Each figure against values counted by hand from the world of conftest.py, and its cost."""

from decimal import Decimal

import pytest

from keyprojects.applications.models import Application
from keyprojects.stats import queries

from .conftest import reviewer_of

pytestmark = pytest.mark.django_db

D = Decimal


def office_scope(office):
    return queries.scope_for(office)


def measures(row):
    return (
        row["applications"],
        row["recommended"],
        row["selected"],
        row["investment"],
        row["selected_investment"],
    )


def test_totals_count_submitted_applications_only(world, call, office):
    base = queries.filtered(office_scope(office).applications(), call=call)
    # 8 submitted (the draft and the withdrawn one are not), 6 recommended onwards, 3 selected
    assert measures(queries.totals(base)) == (8, 6, 3, D("10050.50"), D("6800.00"))


def test_by_category(world, call, office):
    base = queries.filtered(office_scope(office).applications(), call=call)
    rows = queries.by_category(base)
    assert [(row["key"], row["label"], *measures(row)) for row in rows] == [
        ("digital_infrastructure", "数字基建类", 1, 1, 0, D("900.00"), D("0.00")),
        ("digital_economy", "数字经济类", 2, 2, 1, D("3400.50"), D("2600.00")),
        ("digital_governance", "数字治理类", 4, 2, 1, D("2750.00"), D("1200.00")),
        ("cybersecurity", "网络安全类", 1, 1, 1, D("3000.00"), D("3000.00")),
    ]


def test_by_city_puts_a_county_under_its_city_and_provincial_units_last(world, call, office):
    base = queries.filtered(office_scope(office).applications(), call=call)
    rows = queries.by_city(base)
    assert [(row["key"], row["label"], *measures(row)) for row in rows] == [
        ("320100", "南京市", 3, 2, 1, D("2400.50"), D("1200.00")),
        ("320300", "徐州市", 2, 2, 0, D("1550.00"), D("0.00")),  # 沛县 is in 徐州市
        ("320500", "苏州市", 2, 1, 1, D("3100.00"), D("2600.00")),
        ("320000", "省级", 1, 1, 1, D("3000.00"), D("3000.00")),
    ]


def test_by_city_lists_every_city_for_the_province(world, call, office):
    base = queries.filtered(office_scope(office).applications(), call=call)
    rows = queries.by_city(base, every_city=True)
    assert len(rows) == 14  # 13 prefecture cities and 省级
    assert rows[-1]["label"] == "省级"
    wuxi = next(row for row in rows if row["key"] == "320200")
    assert measures(wuxi) == (0, 0, 0, D("0.00"), D("0.00"))


def test_by_year_compares_the_calls(world, office):
    rows = queries.by_year(office_scope(office).applications())
    assert [(row["label"], *measures(row)) for row in rows] == [
        ("2020", 8, 6, 3, D("10050.50"), D("6800.00")),
        ("2021", 2, 2, 1, D("1950.00"), D("1500.00")),
    ]


def test_category_filter_narrows_every_figure(world, call, office):
    base = queries.filtered(
        office_scope(office).applications(), call=call, category="digital_economy"
    )
    assert measures(queries.totals(base)) == (2, 2, 1, D("3400.50"), D("2600.00"))
    assert [row["label"] for row in queries.by_city(base)] == ["南京市", "苏州市"]


def test_funnel_from_draft_to_selected(world, call, office):
    base = queries.filtered(office_scope(office).applications(), call=call)
    stages = queries.funnel(base)
    assert [(s["key"], s["count"]) for s in stages] == [
        ("started", 10),  # every application, the draft and the withdrawn one too
        ("submitted", 8),
        ("recommended", 6),
        ("check_passed", 4),  # the three selected and the one not selected
        ("selected", 3),
    ]
    assert stages[0]["label"] == "填报（含草稿）"


def test_a_city_scope_is_its_districts_and_its_counties(world, call):
    scope = queries.scope_for(reviewer_of("徐州市信息化主管部门"))
    base = queries.filtered(scope.applications(), call=call)
    assert set(base.values_list("name", flat=True)) == {"沛县未入选", "徐州推荐"}
    assert measures(queries.totals(base)) == (2, 2, 0, D("1550.00"), D("0.00"))
    assert [row["label"] for row in queries.by_city(base)] == ["徐州市"]
    # A local authority's funnel starts at submit: drafts are not routed to anyone.
    assert queries.funnel(base, with_drafts=False)[0]["key"] == "submitted"


def test_a_county_scope_is_only_its_own(world, call):
    scope = queries.scope_for(reviewer_of("徐州市沛县信息化主管部门"))
    assert list(scope.applications().values_list("name", flat=True)) == ["沛县未入选"]


def test_a_provincial_department_sees_what_it_supervises(world, call):
    scope = queries.scope_for(reviewer_of("省交通运输厅"))
    assert list(scope.applications().values_list("name", flat=True)) == ["省属入选"]


def test_nobody_else_has_a_scope(world, applicant, client):
    assert queries.scope_for(applicant) is None
    from django.contrib.auth.models import AnonymousUser

    assert queries.scope_for(AnonymousUser()) is None


@pytest.mark.parametrize(
    "figure, expected",
    [
        (queries.totals, 1),
        (queries.by_category, 1),
        (queries.by_city, 2),  # the figure, then the 13 cities' names
        (queries.by_year, 1),
        (queries.funnel, 1),
    ],
)
def test_each_figure_is_one_query_whatever_the_number_of_applications(
    world, office, figure, expected, django_assert_num_queries
):
    scope = office_scope(office)
    assert Application.objects.count() == 12
    with django_assert_num_queries(expected):
        figure(scope.applications())


def test_the_public_years_are_those_with_a_final_list(world, call, next_call, office):
    from ..factories import finalise_list

    assert queries.public_years() == []
    finalise_list(call, office)
    assert queries.public_years() == [2020]
    assert list(queries.final_calls(2021)) == []


def test_the_city_is_where_the_application_was_routed_when_submitted(world, call, office):
    """An organisation that moves after submitting still counts where it was reviewed: the
    same authorities make a local scope, so a city's dashboard never shows another city."""
    from keyprojects.orgs.models import Region

    moved = world["徐州推荐"].organisation
    moved.seat = Region.objects.get(code="320102")  # to 南京 (e.g. corrected in the admin)
    moved.save()
    base = queries.filtered(office_scope(office).applications(), call=call)
    rows = {row["label"]: row["applications"] for row in queries.by_city(base)}
    assert rows == {"南京市": 3, "徐州市": 2, "苏州市": 2, "省级": 1}
    xuzhou = queries.scope_for(reviewer_of("徐州市信息化主管部门"))
    assert [row["label"] for row in queries.by_city(xuzhou.applications())] == ["徐州市"]
