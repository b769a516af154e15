"""The figures of the dashboard and of the public yearly summary, and the funding list.

One function per figure, each a single SQL query that groups and sums in the database
(values / annotate / Count / Sum, the city of a county worked out with Case): nothing loops over
applications in Python, so a figure costs the same at 50 applications as at 50,000.

Which applications count (applications.workflow):
- 申报数 (applications): submitted ones, COUNTED — withdrawn projects and drafts are the
  applicant's business, and show only in the office's funnel;
- 推荐数: RECOMMENDED_ONWARDS; 入选数: SELECTED; 投资: sums of total_investment (万元).
The city (设区市) is where the application was routed when submitted (Application.authority,
set by orgs.routing from the applicant's seat): the city itself for a district (市辖区), the
county's city for a county or county-level city, 省级 for provincial units and SOEs. It is the
seat's city as it was at submit, an integer join to a small table (fast at 50,000), and the
very thing a local authority's scope is made of.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    Max,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import COUNTED, RECOMMENDED_ONWARDS, Status
from keyprojects.calls.models import Call
from keyprojects.notices.models import PublicNotice
from keyprojects.orgs.models import Authority, Region
from keyprojects.orgs.rules import is_office

PROVINCIAL = "320000"  # the province's code stands for 省级 in the by-city figure
CHECK_PASSED_ONWARDS = [Status.CHECK_PASSED, Status.SELECTED, Status.NOT_SELECTED]
MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)
MEASURES = ["applications", "recommended", "selected", "investment", "selected_investment"]


# --- Whose applications ------------------------------------------------------------------


class Scope:
    """The applications a dashboard user may count: all (office) or an authority's area."""

    def __init__(self, label, authorities=None):
        self.label = label
        self.authorities = authorities  # None: the whole province

    @property
    def is_province(self):
        return self.authorities is None

    def applications(self):
        queryset = Application.objects.all()
        if self.authorities is not None:
            queryset = queryset.filter(authority__in=self.authorities)
        return queryset


def scope_for(user) -> Scope | None:
    """The office: the province. A prefecture city's reviewer: what was routed to its
    authority and to the county authorities inside its city. A county or a provincial
    department: what was routed to it. Anyone else: None."""
    if not user.is_authenticated or not user.is_active:
        return None
    if is_office(user):
        return Scope(_("全省"))
    authority = user.authority
    if authority is None:
        return None
    if authority.kind == Authority.Kind.CITY and authority.region_id:
        area = Authority.objects.filter(
            Q(pk=authority.pk)
            | Q(kind=Authority.Kind.COUNTY, region__parent_id=authority.region_id)
        )
    else:
        area = Authority.objects.filter(pk=authority.pk)
    return Scope(authority.name, area.values("pk"))


def filtered(queryset, *, call=None, category=None):
    """Narrow to one call and/or one category code (categories belong to a call; their
    codes are shared from year to year)."""
    if call is not None:
        queryset = queryset.filter(call=call)
    if category:
        queryset = queryset.filter(category__code=category)
    return queryset


# --- Expressions -------------------------------------------------------------------------

_DEPARTMENT = Q(authority__kind=Authority.Kind.DEPARTMENT)
_COUNTY = Q(authority__kind=Authority.Kind.COUNTY)


def city_code():
    """The prefecture city an application was routed in when submitted (orgs.routing, from
    the applicant's seat): a county authority's region's parent, a city authority's region;
    a provincial department's applications are 省级. The same authorities define a local
    scope, so a city's own dashboard can only ever show its own city."""
    return Case(
        When(_DEPARTMENT, then=Value(PROVINCIAL)),
        When(_COUNTY, then=F("authority__region__parent_id")),
        default=F("authority__region_id"),
        output_field=CharField(),
    )


def city_label():
    return Case(
        When(_DEPARTMENT, then=Value(_("省级"))),
        When(_COUNTY, then=F("authority__region__parent__name")),
        default=F("authority__region__name"),
        output_field=CharField(),
    )


def _measures():
    """Per group; the queryset is already narrowed to submitted applications."""
    return {
        "applications": Count("pk"),
        "recommended": Count("pk", filter=Q(status__in=RECOMMENDED_ONWARDS)),
        "selected": Count("pk", filter=Q(status=Status.SELECTED)),
        "investment": Coalesce(Sum("total_investment"), ZERO, output_field=MONEY),
        "selected_investment": Coalesce(
            Sum("total_investment", filter=Q(status=Status.SELECTED)), ZERO, output_field=MONEY
        ),
    }


def _submitted(queryset):
    return queryset.filter(status__in=COUNTED)


# --- The figures ---------------------------------------------------------------------------


def totals(queryset) -> dict:
    """The headline: submitted, recommended, selected, and their investment."""
    return _submitted(queryset).aggregate(**_measures())


def by_category(queryset) -> list[dict]:
    rows = (
        _submitted(queryset)
        .values(key=F("category__code"))
        .annotate(label=Max("category__name"), position=Min("category__order"), **_measures())
        .order_by("position", "key")
    )
    return [{**row, "label": row["label"] or _("未分类")} for row in rows]


def by_city(queryset, *, every_city=False) -> list[dict]:
    """By prefecture city, 省级 last; `every_city` lists the 13 cities even at zero.

    Grouped by the city's code only (joining the seat, not the seat's parent): the names of
    the 13 cities come from the reference data, in a second, tiny query."""
    rows = {
        row["key"]: row
        for row in _submitted(queryset).values(key=city_code()).annotate(**_measures()).order_by()
    }
    names = city_names()
    if every_city:
        for code in names:
            rows.setdefault(code, _empty(code))
    for code, row in rows.items():
        row["label"] = names.get(code) or code
    return sorted(rows.values(), key=lambda row: (row["key"] == PROVINCIAL, row["key"]))


def city_names() -> dict:
    """{code: name} of the 13 prefecture cities, and 省级."""
    names = dict(Region.objects.filter(kind=Region.Kind.CITY).values_list("code", "name"))
    return {**names, PROVINCIAL: _("省级")}


def by_year(queryset) -> list[dict]:
    rows = _submitted(queryset).values(key=F("call__year")).annotate(**_measures()).order_by("key")
    return [{**row, "label": str(row["key"])} for row in rows]


FUNNEL = [
    ("started", Q(), gettext_lazy("填报（含草稿）")),
    ("submitted", Q(status__in=COUNTED), gettext_lazy("已提交")),
    ("recommended", Q(status__in=RECOMMENDED_ONWARDS), gettext_lazy("已推荐")),
    ("check_passed", Q(status__in=CHECK_PASSED_ONWARDS), gettext_lazy("形式审查通过")),
    ("selected", Q(status=Status.SELECTED), gettext_lazy("入选")),
]


def funnel(queryset, *, with_drafts=True) -> list[dict]:
    """How far the applications got, as they stand: each stage counts those at it or beyond.

    Drafts are the applicant's business: only the province's funnel starts with them (a local
    authority's area is what was routed to it, at submit)."""
    stages = FUNNEL if with_drafts else FUNNEL[1:]
    counts = queryset.aggregate(**{key: Count("pk", filter=q) for key, q, _label in stages})
    return [{"key": key, "label": str(label), "count": counts[key]} for key, _q, label in stages]


def _empty(code):
    return {"key": code, **dict.fromkeys(MEASURES[:3], 0)} | {
        "investment": Decimal("0.00"),
        "selected_investment": Decimal("0.00"),
    }


# --- The public yearly summary -----------------------------------------------------------


def final_calls(year):
    """The calls of `year` whose list is final: before that, selections may still change."""
    return Call.objects.filter(year=year, public_notice__state=PublicNotice.State.FINALISED)


def public_years() -> list[int]:
    return list(
        Call.objects.filter(public_notice__state=PublicNotice.State.FINALISED)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def public_applications(year):
    return Application.objects.filter(call__in=final_calls(year))


# --- Funding priority --------------------------------------------------------------------

MARKED = Q(funding_priority__isnull=False, funding_priority__unmarked_at__isnull=True)


def funding_candidates(*, call=None, category=None, city=None, marked=None):
    """Selected projects, and any still marked after leaving the list (to be unmarked)."""
    queryset = filtered(
        Application.objects.filter(Q(status=Status.SELECTED) | MARKED), call=call, category=category
    ).annotate(city=city_code(), city_name=city_label())
    if city:
        queryset = queryset.filter(city=city)
    if marked == "yes":
        queryset = queryset.filter(MARKED)
    elif marked == "no":
        queryset = queryset.exclude(MARKED)
    return queryset.select_related(
        "call", "category", "organisation__seat__parent", "funding_priority"
    ).order_by("-call__year", "call_id", "category__order", "name", "pk")


def funding_export_rows(**filters):
    """What goes to the finance process: marked projects still on the list."""
    return funding_candidates(**{**filters, "marked": "yes"}).filter(status=Status.SELECTED)
