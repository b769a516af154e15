"""/projects/: paging, filters, exact money and China time, the detail."""

import re

import pytest

from .conftest import bearer, issue

pytestmark = pytest.mark.django_db

CHINA_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")


@pytest.fixture
def get(client, world, office):
    secret = issue(office)

    def get(url, **params):
        return client.get(url, params, headers=bearer(secret))

    return get


def test_pages_have_a_total_a_bounded_limit_and_a_stable_order(get):
    everything = get("/api/v1/projects/", limit=100).json()
    assert everything["count"] == 4
    order = [item["id"] for item in everything["items"]]
    pages = [get("/api/v1/projects/", limit=3, offset=offset).json() for offset in (0, 3)]
    assert [p["count"] for p in pages] == [4, 4]
    assert [p["limit"] for p in pages] == [3, 3]
    assert [item["id"] for p in pages for item in p["items"]] == order
    beyond = get("/api/v1/projects/", offset=50).json()
    assert (beyond["count"], beyond["items"]) == (4, [])
    too_many = get("/api/v1/projects/", limit=101)
    assert too_many.status_code == 422
    assert too_many.json()["error"]["details"][0]["field"] == "limit"
    assert get("/api/v1/projects/").json()["limit"] == 20  # the default


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "digital_economy"}, {"苏州工业互联网平台"}),
        ({"city": "320100"}, {"玄武区城市大脑", "鼓楼区智慧养老"}),
        ({"city": "320200"}, {"江阴市智慧水务"}),  # a county under the city
        ({"city": "320281"}, {"江阴市智慧水务"}),  # the county itself
        ({"status": "recommended"}, {"鼓楼区智慧养老"}),
        ({"status": "selected", "city": "320500"}, {"苏州工业互联网平台"}),
        ({"call": "test", "year": 2020}, None),
        ({"call": "other"}, set()),
        ({"year": 2021}, set()),
    ],
)
def test_filters(get, params, expected):
    response = get("/api/v1/projects/", **params)
    assert response.status_code == 200
    got = {item["name"] for item in response.json()["items"]}
    if expected is None:
        assert len(got) == 4
    else:
        assert got == expected


@pytest.mark.parametrize(
    "params",
    [
        {"status": "draft"},  # not a project yet: not a value this endpoint knows
        {"status": "submitted"},
        {"city": "南京"},
        {"year": "二〇二〇"},
        {"call": "a b"},
        {"offset": -1},
    ],
)
def test_wrong_filters_are_refused_before_any_query(get, params):
    response = get("/api/v1/projects/", **params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_money_travels_as_exact_strings_and_times_in_china_time(get, world):
    item = next(
        i for i in get("/api/v1/projects/").json()["items"] if i["name"] == "玄武区城市大脑"
    )
    assert item["total_investment"] == "1200.10"
    assert item["civil_works_investment"] == "200.00"
    assert item["informatisation_investment"] == "1000.10"
    assert CHINA_TIME.match(item["submitted_at"])
    assert CHINA_TIME.match(item["updated_at"])
    assert item["status"] == {"code": "selected", "label": "入选"}
    assert item["tier"] == "重点工程"
    assert item["city"] == {"code": "320100", "name": "南京市"}
    assert item["authority"]["name"] == "南京市信息化主管部门"
    jiangyin = next(
        i for i in get("/api/v1/projects/").json()["items"] if i["name"] == "江阴市智慧水务"
    )
    assert jiangyin["copy_authority"]["name"] == "无锡市信息化主管部门"
    assert jiangyin["civil_works_investment"] == "0.00"


def test_the_detail_has_the_form_but_no_contact_details(get, world):
    response = get(f"/api/v1/projects/{world.nanjing.pk}")
    detail = response.json()
    assert detail["construction_content"] == world.nanjing.construction_content
    assert {"code": "ai", "label": "人工智能"} in detail["technologies"]
    assert detail["security_level"] == {"code": "3", "label": "第三级"}
    assert detail["partners"] == []
    text = response.content.decode()
    assert world.nanjing.contact_phone not in text
    assert "secret@example.com" not in text  # the organisation's contact e-mail


def test_a_malformed_id_is_a_validation_error_and_an_unknown_one_not_found(get):
    assert get("/api/v1/projects/not-a-uuid").status_code == 422
    missing = get("/api/v1/projects/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
