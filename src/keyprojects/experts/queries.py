"""Reusable querysets of the expert pool and of a call's assignment (fixed query counts)."""

from django.db.models import Count, Prefetch, Q

from keyprojects.core.crypto import digest

from .assignment import candidates
from .models import Assignment, Expert


def pool(*, search="", category="", city=""):
    experts = Expert.objects.select_related("city", "user")
    if search:
        match = (
            Q(name__icontains=search)
            | Q(organisation_name__icontains=search)
            | Q(organisation_credit_code__icontains=search)
        )
        # Phones and e-mail addresses are encrypted: a whole one is found by its digest.
        key = digest(search)
        if key:
            match |= Q(email_digest=key) | Q(phone_digest=key)
        experts = experts.filter(match)
    if category:
        # The JSON text of the list holds the quoted code; portable across databases.
        experts = experts.filter(category_codes__icontains=f'"{category}"')
    if city:
        experts = experts.filter(city_id=city)
    return experts.order_by("-is_active", "name", "pk")


def loads(call) -> dict:
    """{expert id: number of the call's applications assigned to them}."""
    rows = (
        Assignment.objects.filter(application__call=call)
        .values("expert")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["expert"]: row["n"] for row in rows}


def assignment_overview(call, *, category=""):
    """The call's applications to assign, each with its assignments and their experts."""
    applications = candidates(call).prefetch_related(
        Prefetch(
            "expert_assignments",
            queryset=Assignment.objects.select_related("expert__city").order_by("expert__name"),
            to_attr="assigned",
        )
    )
    if category:
        applications = applications.filter(category__code=category)
    return applications.order_by("category__order", "name", "pk")


def tasks_of(expert):
    """An expert's assignments, newest call first."""
    return expert.assignments.select_related("application__call", "application__category").order_by(
        "-application__call__window_opens_at", "application__name"
    )
