"""The public endpoints show what the site publishes and nothing more."""

import pytest

from keyprojects.calls.models import Call
from keyprojects.cases import domain as cases

from ..factories import make_call
from .conftest import finalise_list, publish_case

pytestmark = pytest.mark.django_db


def items(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_only_published_calls_are_listed_and_opened(client, call):
    hidden = make_call(slug="draft")
    Call.objects.filter(pk=hidden.pk).update(is_published=False)
    assert [c["slug"] for c in items(client, "/api/v1/calls/")] == ["test"]
    detail = client.get("/api/v1/calls/test").json()
    assert detail["min_informatisation_investment"] == "300.00"
    assert detail["window"]["code"] == "open"
    assert detail["window_closes_at"].endswith("+08:00")
    assert {c["code"] for c in detail["categories"]} >= {"digital_economy", "cybersecurity"}
    assert "notice_text" in detail
    assert client.get(f"/api/v1/calls/{hidden.slug}").status_code == 404
    assert items(client, "/api/v1/calls/", year=2019) == []
    assert client.get("/api/v1/calls/", {"year": 1999}).status_code == 422
    assert Call.objects.count() == 2


def test_regions_filter_by_kind_and_parent(client, regions):
    counties = items(client, "/api/v1/regions/", parent="320200", limit=100)
    assert {r["name"] for r in counties} >= {"江阴市", "宜兴市"}
    assert all(r["parent"] == "320200" for r in counties)
    cities = items(client, "/api/v1/regions/", kind="city", limit=100)
    assert len(cities) == 13
    assert cities[0] == {
        "code": "320100",
        "name": "南京市",
        "kind": {"code": "city", "label": "设区市"},
        "parent": "320000",
        "established_on": None,
        "abolished_on": None,
    }


def test_notices_and_the_final_list_appear_only_once_public_and_final(
    client, call, office, selected
):
    assert items(client, "/api/v1/notices/") == []
    assert items(client, "/api/v1/selected/") == []  # decided, but no list is final yet
    notice = finalise_list(call, office)
    [shown] = items(client, "/api/v1/notices/")
    assert shown["id"] == str(notice.pk)
    assert shown["state"] == {"code": "finalised", "label": "名单已确定"}
    assert items(client, "/api/v1/notices/", state="published") == []
    listed = items(client, "/api/v1/selected/")
    assert {row["name"] for row in listed} == {
        "玄武区城市大脑",
        "苏州工业互联网平台",
        "江阴市智慧水务",
    }
    suzhou = items(client, "/api/v1/selected/", city="320500")
    assert [row["name"] for row in suzhou] == ["苏州工业互联网平台"]
    assert suzhou[0]["tier"] == "重点工程"
    assert suzhou[0]["city"] == {"code": "320500", "name": "苏州市"}
    # The public list is what the notice publishes: no money, no contacts.
    assert set(suzhou[0]) == {"id", "call", "name", "applicant", "city", "category", "tier"}
    economy = items(client, "/api/v1/selected/", category="digital_economy")
    assert [row["name"] for row in economy] == ["苏州工业互联网平台"]


def test_only_published_cases_are_shown(client, world, office, checker):
    draft = cases.create_case(world.suzhou, by=office)
    published = publish_case(world.nanjing, office=office, checker=checker, title="城市大脑案例")
    listed = items(client, "/api/v1/cases/")
    assert [c["title"] for c in listed] == ["城市大脑案例"]
    assert client.get(f"/api/v1/cases/{draft.pk}").status_code == 404
    detail = client.get(f"/api/v1/cases/{published.pk}").json()
    assert detail["figures"] == [{"label": "服务人次", "value": "1200.50", "unit": "万"}]
    assert detail["city"] == {"code": "320100", "name": "南京市"}
    assert detail["url"] == f"/cases/{published.pk}/"
    assert items(client, "/api/v1/cases/", q="城市大脑") != []
    assert items(client, "/api/v1/cases/", q="不存在的词") == []
    assert items(client, "/api/v1/cases/", city="320500") == []
    assert items(client, "/api/v1/cases/", city="province") == []
    assert client.get("/api/v1/cases/", {"q": "a\x00b"}).status_code == 422
