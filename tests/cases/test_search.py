"""Chinese full-text search: the same assertions run on SQLite and on PostgreSQL
(DATABASE_URL=postgres://… .venv/bin/pytest tests/cases)."""

from django.db import connection

from keyprojects.cases import domain, queries, search
from keyprojects.cases.models import Case

from .conftest import publish


def test_normalising_folds_width_and_case_and_collapses_spaces():
    assert search.normalise("  ＡＩ　大数据\n平台 ") == "ai 大数据 平台"
    assert search.terms("数字孪生  ＢＩＭ 数字孪生") == ["数字孪生", "bim"]
    assert len(search.terms(" ".join(f"词{i}" for i in range(20)))) == search.MAX_TERMS


def test_highlight_marks_terms_inside_chinese_text_and_escapes_the_rest():
    html = search.highlight("以<数字孪生>底座建设城市大脑", ["数字孪生"])
    assert str(html) == "以&lt;<mark>数字孪生</mark>&gt;底座建设城市大脑"


def test_highlight_finds_full_width_and_upper_case_in_the_original():
    html = search.highlight("采用ＡＩ与Ai技术", search.terms("ai"))
    assert str(html) == "采用<mark>ＡＩ</mark>与<mark>Ai</mark>技术"


def test_a_term_typed_as_markup_is_never_markup():
    html = search.highlight("a<b>c", search.terms("<b>"))
    assert str(html) == "a<mark>&lt;b&gt;</mark>c"


def test_a_long_text_is_cut_around_the_first_match():
    text = "甲" * 300 + "数字孪生" + "乙" * 300
    html = str(search.highlight(text, ["数字孪生"], width=60))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>数字孪生</mark>" in html and len(html) < 100


def make_published(select, office, office2, name, seat="320102", **text):
    application = select(name, seat=seat)
    case = domain.create_case(application, by=office)
    if text:
        values = {**{n: getattr(case, n) for n in domain.TEXT_FIELDS}, **text}
        case = domain.save_text(case, values, by=office, expected_version=case.version)
    owner = application.organisation.users.get()
    return publish(case, office=office, checker=office2, owner=owner)


def test_search_matches_every_term_as_a_substring_and_ranks_title_matches_first(
    select, office, office2
):
    body = make_published(
        select, office, office2, "城市运行管理平台", solution="建设数字孪生底座，接入物联感知。"
    )
    title = make_published(
        select,
        office,
        office2,
        "数字孪生水务系统",
        solution="建设管网监测和漏损分析，应用BIM模型。",
    )
    make_published(select, office, office2, "智慧农业平台", solution="建设农业物联网。")

    found = list(queries.library(query_terms=search.terms("数字孪生")))
    assert found == [title, body]  # the title match first
    assert list(queries.library(query_terms=search.terms("数字孪生 管网"))) == [title]
    assert list(queries.library(query_terms=search.terms("数字孪生 农业"))) == []
    # Full-width and upper-case in the query, as typed on a Chinese keyboard.
    assert list(queries.library(query_terms=search.terms("ｂｉｍ　漏损"))) == [title]
    assert {c.title for c in queries.library(query_terms=search.terms("物联感知"))} == {
        "城市运行管理平台"
    }


def test_search_reaches_organisation_city_and_figure_labels(select, office, office2):
    case = make_published(select, office, office2, "沛县智慧农业平台", seat="320322")
    case.refresh_from_db()
    organisation = case.organisation.name
    assert list(queries.library(query_terms=search.terms(organisation))) == [case]
    assert list(queries.library(query_terms=search.terms("徐州"))) == [case]


def test_like_wildcards_in_a_query_are_plain_characters(select, office, office2):
    make_published(select, office, office2, "城市运行管理平台")
    assert len(queries.library(query_terms=["城市运行"])) == 1
    # As LIKE patterns these would match "城市运行"; as the characters they are, nothing.
    assert list(queries.library(query_terms=["城市%运行"])) == []
    assert list(queries.library(query_terms=["城_运行"])) == []


def test_only_published_cases_are_found(case):
    assert Case.objects.filter(search_text__contains="一网统管").exists()
    assert list(queries.library(query_terms=search.terms("一网统管"))) == []


def test_the_database_under_test_is_reported(db):
    # So a run on PostgreSQL shows in the output which engine these assertions met.
    assert connection.vendor in {"sqlite", "postgresql"}
