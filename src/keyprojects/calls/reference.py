"""The 2020 call, loaded with the notice's values (苏信息化办〔2020〕4号)."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .models import Call, Category

DATA = Path(__file__).parent / "data"

CALL_FIELDS = [
    "year",
    "title",
    "notice_number",
    "min_informatisation_investment",
    "earliest_start",
    "nominal_period_months",
    "period_tolerance_months",
    "per_applicant_limit",
    "required_attachment_kinds",
    "form_extras",
    "contact_name",
    "contact_phone",
    "support_phone",
    "contact_address",
    "requirements",
    "instructions",
]


def call_spec(name="call_2020.json") -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@transaction.atomic
def load_call(spec: dict, **overrides) -> Call:
    """Create or update a call (by slug) from a spec like call_2020.json."""
    spec = {**spec, **overrides}
    values = {field: spec[field] for field in CALL_FIELDS}
    values["min_informatisation_investment"] = Decimal(spec["min_informatisation_investment"])
    values["earliest_start"] = dt.date.fromisoformat(str(spec["earliest_start"]))
    for field in ["window_opens_at", "window_closes_at", "recommendation_deadline"]:
        value = spec[field]
        values[field] = (
            value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
        )
    values["notice_text"] = (DATA / spec["notice_file"]).read_text(encoding="utf-8").strip()
    values["is_published"] = True
    call, _ = Call.objects.update_or_create(slug=spec["slug"], defaults=values)
    for order, (code, name, description) in enumerate(spec["categories"]):
        Category.objects.update_or_create(
            call=call,
            code=code,
            defaults={"name": name, "description": description, "order": order},
        )
    return call
