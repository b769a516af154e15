"""The expert pool as a list: search, filters and sorting in the URL; its export carries the
fields of expertise by name and the contact details the page shows (office only)."""

from django.urls import reverse

from ..exports import assert_flat_queries, export, page_names, sheet_rows
from ..factories import make_user
from .conftest import make_expert

LIST = "expert_pool"


def pool(client, **params):
    return client.get(reverse("experts:pool"), params)


def test_filters_and_sort_and_the_export_follows_them(client, call, office):
    make_expert(name="王专家", city="320100", categories=("digital_economy",))
    make_expert(name="李专家", city="320100")
    make_expert(name="赵专家", city="320100", is_active=False)
    make_expert(name="钱专家", city="320500")
    client.force_login(office)
    params = {"city": "320100", "active": "yes", "sort": "-name"}

    page = pool(client, **params)
    exported = sheet_rows(export(client, LIST, params))

    expected = sorted(["王专家", "李专家"], reverse=True)
    assert page_names(page, ["王专家", "李专家", "赵专家", "钱专家"]) == expected
    assert [row["姓名"] for row in exported] == expected
    wang = exported[expected.index("王专家")]
    assert wang["评审领域"] == "数字经济类"
    assert wang["手机号码"] == "13900000000" and wang["状态"] == "在库"


def test_search_finds_a_whole_phone_number(client, call, office):
    make_expert(name="孙专家", phone="13812345678")
    make_expert(name="周专家")
    client.force_login(office)

    exported = sheet_rows(export(client, LIST, {"q": "13812345678"}))

    assert [row["姓名"] for row in exported] == ["孙专家"]


def test_only_the_office_may_export_the_pool(client, call, office):
    make_expert()
    client.force_login(make_user(None))

    assert export(client, LIST).status_code == 404


def test_the_export_runs_as_many_queries_with_more_experts(client, call, office):
    make_expert()
    client.force_login(office)

    def more():
        for n in range(6):
            make_expert(categories=("digital_governance", "cybersecurity"), name=f"新专家{n}")

    exported = assert_flat_queries(lambda: sheet_rows(export(client, LIST)), more)

    assert len(exported) == 7
