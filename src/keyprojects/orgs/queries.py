from django.db.models import Q

from .models import Region


def current_county_level_regions():
    """County-level units a new organisation may have as its seat (not abolished)."""
    return (
        Region.objects.filter(
            kind__in=[Region.Kind.DISTRICT, Region.Kind.COUNTY, Region.Kind.COUNTY_CITY]
        )
        .filter(Q(abolished_on__isnull=True))
        .select_related("parent")
        .order_by("code")
    )
