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


def cities_by_name() -> dict[str, Region]:
    """Each prefecture-level city under its full and its short name (南京市 and 南京), as
    people write them in spreadsheets."""
    cities = Region.objects.filter(kind=Region.Kind.CITY)
    return {key: city for city in cities for key in {city.name, city.name.removesuffix("市")}}
