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


class Choices(forms.Form):
    colour = forms.ChoiceField(
        required=False, choices=[("", "全部"), ("red", "红 <b>"), ("blue", "蓝"), ("blue", "又蓝")]
    )
    size = forms.TypedChoiceField(required=True, coerce=int, choices=[(1, "小"), (2, "大")])
    grouped = forms.ChoiceField(required=False, choices=[("色", [("r", "红")]), ("", "无")])


def _django_select(bound_field, css):
    return bound_field.as_widget(attrs={"class": css})


def test_filter_selects_render_as_django_renders_them():
    from django.test.html import parse_html

    from keyprojects.core.templatetags.lists import filter_widget

    for data in [{}, {"colour": "blue", "size": "2"}, {"colour": "nothing", "size": "x"}]:
        form = Choices(data=data or None)
        form.is_valid()
        for name, css in [("colour", "form-select form-select-sm"), ("size", "")]:
            bound = form[name]
            css = "form-select form-select-sm" + (" is-invalid" if bound.errors else "")
            ours = filter_widget(bound)
            assert parse_html(ours) == parse_html(_django_select(bound, css)), (data, name)
    assert "&lt;b&gt;" in filter_widget(Choices()["colour"])  # labels are escaped
    chosen = filter_widget(Choices(data={"colour": "blue"})["colour"])
    assert chosen.count(" selected") == 1  # the first of two equal values, as Django does
    assert parse_html(filter_widget(Choices()["grouped"])) == parse_html(
        _django_select(Choices()["grouped"], "form-select form-select-sm")
    )


def test_form_selects_render_as_django_renders_them():
    from django.test.html import parse_html

    from keyprojects.core.templatetags.ui import bs

    form = Choices(data={"colour": "red"})
    form.is_valid()
    for name in ["colour", "size", "grouped"]:
        css = "form-select" + (" is-invalid" if form[name].errors else "")
        assert parse_html(bs(form[name])) == parse_html(_django_select(form[name], css)), name


class Inputs(forms.Form):
    text = forms.CharField(max_length=10, widget=forms.TextInput(attrs={"placeholder": "如 <x>"}))
    mail = forms.EmailField(required=False)
    number = forms.DecimalField(required=False, max_digits=6, decimal_places=2)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    day = forms.DateField(required=False)  # left to Django


def test_inputs_and_text_areas_render_as_django_renders_them():
    from django.test.html import parse_html

    from keyprojects.core.templatetags.ui import bs

    data = {"text": 'a"b<c>', "mail": "x", "number": "12.5", "hidden": "1", "notes": "一\n<二>"}
    for form in [Inputs(), Inputs(data=data), Inputs(data={}), Inputs(initial={"number": 3})]:
        form.is_valid()
        for name in form.fields:
            bound = form[name]
            css = "form-control" + (" is-invalid" if bound.errors else "")
            ours = bs(bound)
            assert parse_html(ours) == parse_html(_django_select(bound, css)), (name, ours)
    assert "&lt;二&gt;" in bs(Inputs(data=data)["notes"])
