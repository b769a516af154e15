"""Reusable querysets of typical cases: each list page runs a fixed number of queries."""

from django.db.models import Exists, OuterRef

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status

from . import search
from .models import Case, Collection

PROVINCIAL = "province"  # the city filter's value for provincial units (省级)


def published():
    return Case.objects.filter(state=Case.State.PUBLISHED).select_related(
        "organisation", "category", "city"
    )


def library(*, year=None, category="", city="", query_terms=()):
    """Published cases matching the public filters and every search term."""
    cases = published()
    if year:
        cases = cases.filter(year=year)
    if category:
        cases = cases.filter(category__code=category)
    if city == PROVINCIAL:
        cases = cases.filter(city__isnull=True)
    elif city:
        cases = cases.filter(city_id=city)
    cases = search.matching(cases, list(query_terms))
    if not query_terms:
        cases = cases.order_by("-year", "-published_at", "pk")
    return cases


def filter_choices():
    """(years, categories as (code, name), cities as (code, name)) among published cases."""
    live = Case.objects.filter(state=Case.State.PUBLISHED)
    years = list(live.order_by("-year").values_list("year", flat=True).distinct())
    categories = {}
    for code, name in live.order_by("category__order", "category__code").values_list(
        "category__code", "category__name"
    ):
        if code:
            categories.setdefault(code, name)
    cities = list(
        live.exclude(city=None)
        .order_by("city__code")
        .values_list("city__code", "city__name")
        .distinct()
    )
    return years, list(categories.items()), cities


def ready_collections():
    return Collection.objects.exclude(file="").order_by("-year")


def office_list(state=""):
    cases = Case.objects.select_related("organisation", "updated_by").order_by("-updated_at")
    if state:
        cases = cases.filter(state=state)
    return cases


def without_case():
    """Selected applications that have no live case yet (the office's chooser)."""
    live = Case.objects.filter(application=OuterRef("pk")).exclude(state=Case.State.DISCARDED)
    return (
        Application.objects.filter(status=Status.SELECTED)
        .filter(~Exists(live))
        .select_related("call", "organisation", "category")
        .order_by("-call__year", "category__order", "name")
    )


def about_organisation(organisation_id):
    return (
        Case.objects.filter(organisation_id=organisation_id)
        .exclude(state=Case.State.DISCARDED)
        .order_by("-updated_at")
    )
