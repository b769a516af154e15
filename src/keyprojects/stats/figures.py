"""The dashboard's figures as the page, its charts and its XLSX exports see them.

Each figure is computed once by a query of queries.py for a scope and the filters; the same
rows feed the chart's data (passed to the page with json_script), the accessible table beside
it and the export, so the three can never disagree.
"""

import dataclasses
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from . import queries

COLUMNS = [
    ("applications", _("申报数")),
    ("recommended", _("推荐数")),
    ("selected", _("入选数")),
    ("investment", _("申报总投资（万元）")),
    ("selected_investment", _("入选项目总投资（万元）")),
]
MONEY_COLUMNS = {"investment", "selected_investment"}
# The public summary tells only what the final list says.
PUBLIC_COLUMNS = [COLUMNS[2], COLUMNS[4]]


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    title: str
    heading: str  # the first column: what the rows are
    kind: str = "bars"  # or "funnel"
    note: str = ""


FIGURES = {
    f.key: f
    for f in [
        Figure("funnel", _("从填报到入选"), _("阶段"), kind="funnel"),
        Figure("category", _("按工程类别"), _("工程类别")),
        Figure("city", _("按设区市"), _("设区市")),
        Figure("year", _("按年度"), _("年度"), note=_("历年对比，不受“年度批次”筛选影响。")),
    ]
}


def rows_of(key, scope, *, call=None, category="") -> list[dict]:
    base = scope.applications()
    narrowed = queries.filtered(base, call=call, category=category)
    if key == "funnel":
        return queries.funnel(narrowed, with_drafts=scope.is_province)
    if key == "category":
        return queries.by_category(narrowed)
    if key == "city":
        return queries.by_city(narrowed, every_city=scope.is_province)
    if key == "year":
        return queries.by_year(queries.filtered(base, category=category))
    raise KeyError(key)


def total_row(rows) -> dict:
    """The sum of the groups (a partition of the submitted applications)."""
    return {
        key: sum((row[key] for row in rows), Decimal("0.00") if key in MONEY_COLUMNS else 0)
        for key, _label in COLUMNS
    }


def chart_data(figure, rows, columns=None) -> dict:
    """What dashboard.js draws. Amounts go as exact strings; the script plots them."""
    if figure.kind == "funnel":
        return {
            "kind": "funnel",
            "title": str(figure.title),
            "labels": [row["label"] for row in rows],
            "values": [row["count"] for row in rows],
        }
    columns = columns or COLUMNS
    axes = {"count": str(_("项目数")), "money": str(_("万元"))}
    counts = [(key, label) for key, label in columns if key not in MONEY_COLUMNS]
    money = [(key, label) for key, label in columns if key in MONEY_COLUMNS]
    return {
        "kind": "bars",
        "title": str(figure.title),
        "axes": axes,
        "labels": [str(row["label"]) for row in rows],
        "series": [
            {"name": str(label), "values": [row[key] for row in rows]} for key, label in counts
        ],
        "lines": [
            {"name": str(label), "values": [f"{row[key]:.2f}" for row in rows]}
            for key, label in money[:1]  # one amount axis: the first money column
        ],
    }
