"""The statistics dashboard and its XLSX exports, for the office and, reduced to their own
area, for local authorities; the public yearly summary.

One code path for everyone who may see a dashboard: queries.scope_for(user) decides which
applications count, and every figure and export is computed inside that scope.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from keyprojects.core.access import require
from keyprojects.tracking import queries as tracking_queries

from . import exports, queries
from .figures import (
    COLUMNS,
    FIGURES,
    MONEY_COLUMNS,
    PUBLIC_COLUMNS,
    chart_data,
    rows_of,
    total_row,
)
from .forms import DashboardFilter


def _scope(request):
    require(request, "stats.view_dashboard")
    scope = queries.scope_for(request.user)
    if scope is None:
        raise Http404
    return scope


def _filters(request):
    filters = DashboardFilter(request.GET or None)
    criteria = filters.criteria()
    names = dict(filters.fields["category"].choices)
    category_name = str(names.get(criteria["category"], "")) if criteria["category"] else ""
    query = urlencode(
        [
            (key, value)
            for key, value in [
                ("call", criteria["call"].slug if criteria["call"] else ""),
                ("category", criteria["category"]),
            ]
            if value
        ]
    )
    return filters, criteria, category_name, query


def _cells(row, columns):
    """(value, is money) for each column: the table shows exactly the chart's figures."""
    return [(row[key], key in MONEY_COLUMNS) for key, _label in columns]


def _panel(figure, rows, columns=COLUMNS):
    bars = figure.kind == "bars"
    return {
        "figure": figure,
        "rows": [{**row, "cells": _cells(row, columns)} for row in rows] if bars else rows,
        "columns": columns,
        "total": _cells(total_row(rows), columns) if bars and rows else None,
        "chart": chart_data(figure, rows, columns),
        "chart_id": f"chart-data-{figure.key}",
    }


@login_required
@require_GET
def dashboard(request):
    scope = _scope(request)
    filters, criteria, category_name, query = _filters(request)
    narrowed = queries.filtered(scope.applications(), **criteria)
    panels = [_panel(figure, rows_of(key, scope, **criteria)) for key, figure in FIGURES.items()]
    return render(
        request,
        "stats/dashboard.html",
        {
            "scope": scope,
            "filters": filters,
            "criteria": criteria,
            "category_name": category_name,
            "query": query,
            "totals": queries.totals(narrowed),
            "panels": panels,
            # By city over the whole province, so only the province's dashboard shows it.
            "tracking_completion": (
                tracking_queries.dashboard_completion() if scope.is_province else None
            ),
        },
    )


@login_required
@require_GET
def export(request, figure):
    scope = _scope(request)
    if figure not in FIGURES:
        raise Http404
    _filters_form, criteria, category_name, _query = _filters(request)
    rows = rows_of(figure, scope, **criteria)
    subtitle = exports.describe(scope, criteria["call"], category_name)
    if figure == "year":
        subtitle = exports.describe(scope, None, category_name)  # the axis is the year
    content = exports.figure_xlsx(FIGURES[figure], rows, subtitle)
    response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    filename = f"统计-{FIGURES[figure].title}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


# --- The public yearly summary -------------------------------------------------------------


@require_GET
def public_index(request):
    return render(request, "stats/public_index.html", {"years": queries.public_years()})


@require_GET
def public_year(request, year):
    require(request, "stats.view_public_summary", year)
    applications = queries.public_applications(year)
    panels = [
        _panel(FIGURES["category"], queries.by_category(applications), PUBLIC_COLUMNS),
        _panel(
            FIGURES["city"],
            [row for row in queries.by_city(applications) if row["selected"]],
            PUBLIC_COLUMNS,
        ),
    ]
    return render(
        request,
        "stats/public_year.html",
        {
            "year": year,
            "calls": list(queries.final_calls(year).order_by("window_opens_at")),
            "totals": queries.totals(applications),
            "panels": panels,
            "years": queries.public_years(),
        },
    )
