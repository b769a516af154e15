"""The office's dashboard shows how far the newest tracking round has come, by city; a local
authority's reduced dashboard does not (the panel covers the whole province)."""

from django.urls import reverse

from ..factories import credit_code
from ..tracking.conftest import make_project, open_round
from .conftest import reviewer_of


def test_the_office_sees_the_newest_rounds_completion_by_city(client, office, organisation):
    make_project(organisation, name="南京智慧社区平台")
    make_project(None, name="无主的历史项目", credit_code=credit_code())
    open_round(office, title="2026年度跟踪评价")

    client.force_login(office)
    page = client.get(reverse("stats:dashboard")).content.decode()

    panel = page[page.index('id="figure-tracking"') :]
    assert "跟踪评价完成情况" in panel and "2026年度跟踪评价" in panel
    # Both projects are in 南京市: two reports due, none filed or evaluated yet.
    assert (
        '<th scope="row" class="fw-normal">南京市</th><td class="text-end">2</td>'
        '<td class="text-end">0</td><td class="text-end">0</td>'
    ) in panel


def test_a_local_authority_does_not_see_the_provinces_tracking_panel(client, office, regions):
    open_round(office)
    client.force_login(reviewer_of("南京市信息化主管部门"))
    page = client.get(reverse("stats:dashboard")).content.decode()
    assert "跟踪评价完成情况" not in page


def test_without_a_round_there_is_no_panel(client, office):
    client.force_login(office)
    assert "跟踪评价完成情况" not in client.get(reverse("stats:dashboard")).content.decode()
