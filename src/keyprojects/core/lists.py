"""Search, filters, sorting and paging of a list, all carried in the URL's GET parameters.

The back button, a reload and a shared link therefore bring a list back exactly as it was.
Every list declares its filters as a `ListFilter` form and the columns it may be sorted by
(`sorts`, a whitelist: a column not named there is refused, never passed to the database);
`ListQuery` reads and checks the parameters once for the page, its links and its export.

A bad value never breaks the page: the filter it belongs to is left out, and `problems`
says in Chinese what was wrong, for the page to show.
"""

import dataclasses
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SORT = "sort"
PAGE = "page"
EMPTY = (None, "", [], ())


@dataclasses.dataclass(frozen=True)
class Sort:
    """A column people may sort by: its label, and the model fields it orders by."""

    label: str
    fields: tuple[str, ...]


def containing(rows, text: str, fields) -> QuerySet:
    """`rows` where any of `fields` contains `text` (what a list's search box asks); all of
    them when the text is blank."""
    text = text.strip()
    if not text:
        return rows
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__icontains": text})
    return rows.filter(match)


def search_field(placeholder=""):
    """The search box of a list (parameter `q`); what it searches is the list's business."""
    return forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}),
        error_messages={"max_length": _("搜索内容最多 100 个字符。")},
    )


class ListFilter(forms.Form):
    """A list's GET parameters: its filters (declared by each list) and `sort`.

    `sorts` maps a sort key to a `Sort`; "-key" sorts the other way round. `default_sort`
    is used when none (or a bad one) is asked for.
    """

    sorts: dict[str, Sort] = {}
    default_sort = ""

    sort = forms.CharField(label=_("排序"), required=False, max_length=40, widget=forms.HiddenInput)

    def clean_sort(self):
        value = self.cleaned_data["sort"].strip()
        if value and value.removeprefix("-") not in self.sorts:
            raise forms.ValidationError(
                _("不能按“%(value)s”排序，请点击表头的列名排序。"), params={"value": value}
            )
        return value

    def describe_value(self, name, value) -> str:
        """A filter's value as people read it (a choice's label rather than its code)."""
        field = self.fields[name]
        if isinstance(value, bool):
            return gettext("是") if value else gettext("否")
        if hasattr(field, "choices") and not isinstance(field, forms.ModelChoiceField):
            labels = {str(key): label for key, label in field.choices}
            return str(labels.get(str(value), value))
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)


class ListQuery:
    """What a request asks of a list: valid filters, the sort, and links that keep them."""

    def __init__(self, form: ListFilter):
        self.form = form
        form.is_valid()  # cleaned_data then holds the valid fields only
        cleaned = form.cleaned_data
        self.sort = cleaned.get(SORT) or form.default_sort
        # An unticked box is no criterion (False is kept out by identity: 0 may be a value).
        self.criteria = {
            name: value
            for name, value in cleaned.items()
            if name != SORT and value not in EMPTY and value is not False
        }
        self.problems = [
            f"{form.fields[name].label}：{error}" if name in form.fields else str(error)
            for name, errors in form.errors.items()
            for error in errors
        ]

    # --- Sorting --------------------------------------------------------------------

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def ordering(self) -> list:
        """ORDER BY of the chosen sort, empty values last either way, then the primary key
        so that pages never overlap nor skip a row."""
        sort = self.form.sorts.get(self.sort_key)
        if sort is None:
            return []
        if self.descending:
            return [*(F(f).desc(nulls_last=True) for f in sort.fields), F("pk").desc()]
        return [*(F(f).asc(nulls_last=True) for f in sort.fields), F("pk").asc()]

    def order(self, queryset):
        ordering = self.ordering()
        return queryset.order_by(*ordering) if ordering else queryset

    def sort_label(self) -> str:
        sort = self.form.sorts.get(self.sort_key)
        if sort is None:
            return ""
        return f"{sort.label}（{gettext('降序') if self.descending else gettext('升序')}）"

    def next_sort(self, key: str) -> str:
        """The sort a click on column `key` asks for: ascending first, then the other way."""
        return f"-{key}" if self.sort == key else key

    # --- Links ----------------------------------------------------------------------

    def params(self, **changes) -> list[tuple[str, str]]:
        """The request's parameters without the page, empty values and refused values;
        `changes` replace or (with None) remove some."""
        data = self.form.data
        pairs = data.lists() if hasattr(data, "lists") else ((k, [v]) for k, v in data.items())
        kept = []
        for name, values in pairs:
            if name == PAGE or name in changes or name in self.form.errors:
                continue
            kept += [(name, value) for value in values if value not in EMPTY]
        kept += [(name, value) for name, value in changes.items() if value not in EMPTY]
        return kept

    def querystring(self, **changes) -> str:
        return urlencode(self.params(**changes))

    def sort_querystring(self, key: str) -> str:
        return self.querystring(**{SORT: self.next_sort(key)})

    def page(self, rows, size: int, number, *, load=None):
        """A page of `rows`. With `load`, the page is chosen on ids alone and `load(ids)` (a
        queryset) gives its rows, in the page's order: what a row shows (joins, annotated
        flags) is then computed for the page's rows only, not for every row the sort
        passes over (thousands at province scale)."""
        if load is None:
            return Paginator(rows, size).get_page(number)
        page = Paginator(rows.values_list("pk", flat=True), size).get_page(number)
        ids = list(page.object_list)
        found = load(ids).in_bulk(ids)
        page.object_list = [found[pk] for pk in ids if pk in found]
        return page

    # --- In words -------------------------------------------------------------------

    def describe(self) -> str:
        """The filters and the sort in words, for the export's description."""
        parts = [
            f"{self.form.fields[name].label}：{self.form.describe_value(name, value)}"
            for name, value in self.criteria.items()
            if name in self.form.fields
        ]
        if self.sort_label():
            parts.append(f"{gettext('排序')}：{self.sort_label()}")
        return "；".join(parts) or gettext("无筛选条件")
