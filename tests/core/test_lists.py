"""core/lists.py: a list's GET parameters read once, checked, and kept in its links."""

from django import forms
from django.http import QueryDict
from django.template import Context, Template

from keyprojects.core.lists import ListFilter, ListQuery, Sort, search_field


class Things(ListFilter):
    q = search_field()
    colour = forms.ChoiceField(
        label="颜色", required=False, choices=[("", "全部"), ("red", "红"), ("blue", "蓝")]
    )
    sorts = {"name": Sort("名称", ("name",)), "size": Sort("大小", ("size", "name"))}


def query(string):
    return ListQuery(Things(QueryDict(string)))


def test_valid_parameters_become_criteria_and_an_ordering():
    asked = query("q=泵房&colour=red&sort=-size&page=3")

    assert asked.criteria == {"q": "泵房", "colour": "red"}
    assert asked.descending and asked.sort_key == "size"
    assert asked.problems == []
    assert asked.describe() == "搜索：泵房；颜色：红；排序：大小（降序）"


def test_the_ordering_ends_with_the_primary_key_so_pages_never_overlap():
    fields = [o.expression.name for o in query("sort=size").ordering()]
    assert fields == ["size", "name", "pk"]
    assert all(o.descending for o in query("sort=-size").ordering())
    assert query("").ordering() == []  # the list's own order


def test_a_sort_not_in_the_whitelist_is_refused_with_a_message():
    asked = query("sort=password&colour=red")

    assert asked.sort == ""  # the list's own order instead
    assert asked.ordering() == []
    assert asked.problems == ["排序：不能按“password”排序，请点击表头的列名排序。"]
    assert asked.criteria == {"colour": "red"}  # the rest still applies


def test_a_bad_filter_value_is_left_out_and_said():
    asked = query("colour=green&q=" + "长" * 101)

    assert asked.criteria == {}
    assert len(asked.problems) == 2
    assert any(p.startswith("颜色：") and "green" in p for p in asked.problems)
    assert "搜索：搜索内容最多 100 个字符。" in asked.problems


def test_links_keep_the_filters_and_the_sort_but_not_the_page_nor_bad_values():
    asked = query("q=泵房&colour=green&sort=name&page=2&call=2020")

    assert asked.querystring() == "q=%E6%B3%B5%E6%88%BF&sort=name&call=2020"
    assert "page=" not in asked.sort_querystring("size")
    assert "sort=-name" in asked.sort_querystring("name")  # a second click: the other way
    assert "sort=size" in asked.sort_querystring("size")


def test_sortable_headers_say_how_the_list_is_sorted():
    template = Template('{% load lists %}{% sort_header list "size" "大小" "text-end" %}')

    html = template.render(Context({"list": query("sort=-size&colour=red")}))

    assert 'aria-sort="descending"' in html and "▼" in html
    assert 'href="?colour=red&amp;sort=size"' in html
    unsorted = template.render(Context({"list": query("")}))
    assert 'aria-sort="none"' in unsorted and 'href="?sort=size"' in unsorted


def test_hidden_inputs_carry_the_sort_into_the_filter_form():
    template = Template('{% load lists %}{% keep_params list "sort" "call" %}')

    html = template.render(Context({"list": query("sort=name&call=2020&colour=red")}))

    assert html == (
        '<input type="hidden" name="sort" value="name">'
        '<input type="hidden" name="call" value="2020">'
    )
