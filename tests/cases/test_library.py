"""The public library /cases/: filters, search, highlighting, pages, a bounded query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyprojects.cases import domain

from .. import factories
from .conftest import publish


@pytest.fixture
def library(select, office, office2):
    """Three published cases (南京, 苏州, a provincial SOE) and one draft."""
    made = {}
    for name, seat, category, solution in [
        (
            "南京城市运行一网统管",
            "320102",
            "digital_governance",
            "以数字孪生底座汇聚城市感知数据。",
        ),
        ("苏州工业互联网平台", "320505", "digital_economy", "建设工业互联网标识解析节点。"),
        ("省高速公路智慧养护", "320106", "digital_infrastructure", "建设路面病害智能识别系统。"),
    ]:
        application = select(name, seat=seat, category=category)
        if name.startswith("省"):
            application.organisation.kind = "provincial_soe"
            application.organisation.save()
        case = domain.create_case(application, by=office)
        values = {**{n: getattr(case, n) for n in domain.TEXT_FIELDS}, "solution": solution}
        case = domain.save_text(case, values, by=office, expected_version=case.version)
        owner = application.organisation.users.get()
        made[name] = publish(case, office=office, checker=office2, owner=owner)
    made["draft"] = domain.create_case(select("镇江未发布的案例", seat="321102"), by=office)
    return made


def titles(response):
    return [case.title for case, _title, _snippet in response.context["rows"]]


def test_anyone_sees_the_published_cases_only(client, library):
    response = client.get("/cases/")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(
        ["南京城市运行一网统管", "苏州工业互联网平台", "省高速公路智慧养护"]
    )
    assert "镇江未发布的案例" not in response.content.decode()


def test_filters_by_year_category_and_city(client, library):
    year = library["draft"].year
    assert titles(client.get("/cases/", {"category": "digital_economy"})) == ["苏州工业互联网平台"]
    assert titles(client.get("/cases/", {"city": "320100"})) == ["南京城市运行一网统管"]
    assert titles(client.get("/cases/", {"city": "province"})) == ["省高速公路智慧养护"]
    assert len(titles(client.get("/cases/", {"year": year}))) == 3
    page = client.get("/cases/").content.decode()
    assert '<option value="320500">苏州市</option>' in page and ">省级</option>" in page


def test_a_tampered_filter_shows_the_library_not_an_error(client, library):
    response = client.get("/cases/", {"year": "abc", "city": "<x>", "page": "999"})
    assert response.status_code == 200 and len(titles(response)) == 3


def test_a_chinese_word_finds_the_case_and_is_highlighted(client, library):
    response = client.get("/cases/", {"q": "数字孪生"})
    assert titles(response) == ["南京城市运行一网统管"]
    page = response.content.decode()
    assert "<mark>数字孪生</mark>底座" in page
    assert 'value="数字孪生"' in page  # the search box keeps the query


def test_markup_in_the_query_is_escaped_in_the_page(client, library):
    page = client.get("/cases/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "没有找到符合条件的案例" in page


def test_pages_keep_the_filters(client, library, settings, monkeypatch):
    monkeypatch.setattr("keyprojects.cases.public_views.PER_PAGE", 2)
    first = client.get("/cases/", {"q": "平台 ", "category": ""})
    assert first.context["page"].paginator.num_pages == 1
    everything = client.get("/cases/")
    assert everything.context["page"].paginator.num_pages == 2
    second = client.get("/cases/", {"page": 2})
    assert len(titles(second)) == 1
    filtered = client.get("/cases/", {"city": "320100"}).content.decode()
    assert "page=" not in filtered  # one page only
    assert "city=320100" in client.get("/cases/", {"city": "320100", "q": "x"}).context["query"]


def test_query_count_does_not_grow_with_the_cases(client, library, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as one:
        assert len(titles(client.get("/cases/", {"city": "320100"}))) == 1
    with CaptureQueriesContext(connection) as three:
        assert len(titles(client.get("/cases/"))) == 3
    assert len(one) == len(three)
    with django_assert_max_num_queries(8):
        client.get("/cases/", {"q": "平台 建设", "page": 1})


def test_the_year_filter_keeps_other_years_out(client, library, office, office2):
    earlier = factories.make_call(slug="earlier", year=library["draft"].year - 1)
    application = factories.selected_maker(earlier, office)("往年的案例", seat="320102")
    case = domain.create_case(application, by=office)
    publish(case, office=office, checker=office2, owner=application.organisation.users.get())
    assert titles(client.get("/cases/", {"year": earlier.year})) == ["往年的案例"]
    assert "往年的案例" not in titles(client.get("/cases/", {"year": earlier.year + 1}))
