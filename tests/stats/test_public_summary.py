"""The public yearly summary: only once the year's list is final, with its headline figures."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from keyprojects.notices import publication

from ..factories import finalise_list

pytestmark = pytest.mark.django_db


def figure(html, key):
    return re.search(rf'id="public-{key}">([^<]*)<', html).group(1)


def test_nothing_is_public_before_the_list_is_final(client, world, call, office):
    assert client.get(reverse("stats:public_year", args=[2020])).status_code == 404
    # A published notice is not a final list: its selections may still change.
    notice = publication.save_notice(
        call,
        {
            "title": "公示",
            "text": "公示",
            "starts_on": publication.today(),
            "ends_on": publication.today(),
            "contact_name": "甲",
            "contact_phone": "025-83000000",
            "contact_email": "",
            "contact_address": "",
        },
        by=office,
    )
    publication.publish(notice, by=office)
    assert client.get(reverse("stats:public_year", args=[2020])).status_code == 404
    index = client.get(reverse("stats:public_index")).content.decode()
    assert "暂无已确定最终名单的年度" in index


def test_the_summary_of_a_final_year(client, world, call, office):
    notice = finalise_list(call, office)
    index = client.get(reverse("stats:public_index"))
    assert index.status_code == 200
    assert 'href="/stats/public/2020/"' in index.content.decode()
    assert 'href="/stats/public/2021/"' not in index.content.decode()  # 2021 is still open

    response = client.get(reverse("stats:public_year", args=[2020]))
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "applications") == "8"
    assert figure(html, "recommended") == "6"
    assert figure(html, "selected") == "3"
    assert figure(html, "selected-investment") == "6800.00"
    # The same numbers as the frozen final list.
    assert len(notice.final_list["rows"]) == 3
    assert Decimal(notice.final_list["total_investment"]) == Decimal("6800.00")
    categories = response.context["panels"][0]["rows"]
    assert [(row["label"], row["selected"]) for row in categories] == [
        ("数字基建类", 0),
        ("数字经济类", 1),
        ("数字治理类", 1),
        ("网络安全类", 1),
    ]
    cities = response.context["panels"][1]["rows"]
    assert [(row["label"], row["selected"], row["selected_investment"]) for row in cities] == [
        ("南京市", 1, Decimal("1200.00")),
        ("苏州市", 1, Decimal("2600.00")),
        ("省级", 1, Decimal("3000.00")),
    ]
    # Only what a final list says: no counts of applications per city or category.
    assert "申报数" not in html and "推荐数" not in html


def test_a_year_still_open_stays_private(client, world, call, office):
    finalise_list(call, office)
    assert client.get(reverse("stats:public_year", args=[2021])).status_code == 404
    assert client.get(reverse("stats:public_year", args=[1999])).status_code == 404


def test_the_public_page_runs_few_queries(
    client, world, call, office, django_assert_max_num_queries
):
    finalise_list(call, office)
    with django_assert_max_num_queries(8):
        client.get(reverse("stats:public_year", args=[2020]))
