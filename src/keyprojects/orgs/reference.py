"""Reference data shipped with the project: Jiangsu's divisions and provincial departments."""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from .models import Authority, Region

DATA = Path(__file__).parent / "data"

# The Nantong change of 2020 (国函〔2020〕79号), in force 2020-07-28: three units abolished,
# two created. Organisations registered under an old code keep it, so the rows stay.
NANTONG_CHANGE_DATE = dt.date(2020, 7, 28)
NANTONG_ABOLISHED = ["320602", "320611", "320684"]


def county_kind(code: str, name: str) -> str:
    if name.endswith("区"):
        return Region.Kind.DISTRICT
    if name.endswith("县"):
        return Region.Kind.COUNTY
    if name.endswith("市") and code[4] == "8":
        return Region.Kind.COUNTY_CITY
    raise ValueError(f"cannot tell the kind of {code} {name}")


@transaction.atomic
def load_regions() -> int:
    data = json.loads((DATA / "jiangsu_divisions_2020.json").read_text(encoding="utf-8"))
    province, _ = Region.objects.update_or_create(
        code=data["province"]["code"],
        defaults={"name": data["province"]["name"], "kind": Region.Kind.PROVINCE},
    )
    count = 1
    for city in data["cities"]:
        city_row, _ = Region.objects.update_or_create(
            code=city["code"],
            defaults={"name": city["name"], "kind": Region.Kind.CITY, "parent": province},
        )
        count += 1
        for county in city["counties"]:
            Region.objects.update_or_create(
                code=county["code"],
                defaults={
                    "name": county["name"],
                    "parent": city_row,
                    "kind": county_kind(county["code"], county["name"]),
                },
            )
            count += 1
    nantong = Region.objects.get(code="320600")
    known = set(Region.objects.filter(parent=nantong).values_list("code", flat=True))
    for county in data["nantong_after_2020_07"]:
        if county["code"] not in known:
            Region.objects.update_or_create(
                code=county["code"],
                defaults={
                    "name": county["name"],
                    "parent": nantong,
                    "kind": county_kind(county["code"], county["name"]),
                    "established_on": NANTONG_CHANGE_DATE,
                },
            )
            count += 1
    Region.objects.filter(code__in=NANTONG_ABOLISHED).update(abolished_on=NANTONG_CHANGE_DATE)
    return count


@transaction.atomic
def load_departments() -> int:
    data = json.loads((DATA / "provincial_departments.json").read_text(encoding="utf-8"))
    for name in data["departments"]:
        Authority.objects.get_or_create(name=name, defaults={"kind": Authority.Kind.DEPARTMENT})
    return len(data["departments"])


@transaction.atomic
def load_authorities() -> int:
    """One information authority per prefecture city and per county / county-level city."""
    count = 0
    for city in Region.objects.filter(kind=Region.Kind.CITY):
        Authority.objects.update_or_create(
            region=city, kind=Authority.Kind.CITY, defaults={"name": f"{city.name}信息化主管部门"}
        )
        count += 1
    counties = Region.objects.filter(kind__in=[Region.Kind.COUNTY, Region.Kind.COUNTY_CITY])
    for county in counties.select_related("parent"):
        Authority.objects.update_or_create(
            region=county,
            kind=Authority.Kind.COUNTY,
            defaults={"name": f"{county.parent.name}{county.name}信息化主管部门"},
        )
        count += 1
    return count
