"""What every endpoint shares: money and time as they travel in JSON, paging, the renderer.

Money is a string with two decimals (万元), never a JSON number: a float cannot carry
1200.10 exactly, and the receiving systems are financial. Times are ISO 8601 in China
Standard Time (+08:00), to the second.
"""

import datetime as dt
import json
from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from ninja import Field, Schema
from ninja.renderers import BaseRenderer
from pydantic import PlainSerializer, WithJsonSchema

from keyprojects.core.clock import china_time

MONEY_PATTERN = r"^-?\d+\.\d{2}$"

Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONEY_PATTERN,
            "description": "金额（万元），两位小数的字符串，不用浮点数",
            "examples": ["1200.00"],
        }
    ),
]

# Any other exact quantity with two decimals (a case's result figures).
Decimal2 = Annotated[
    Decimal,
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "description": "两位小数的字符串"}),
]

ChinaTime = Annotated[
    dt.datetime,
    PlainSerializer(lambda value: china_time(value).isoformat(timespec="seconds"), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601，北京时间（+08:00）",
            "examples": ["2020-07-20T23:59:59+08:00"],
        }
    ),
]

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数（1–100）")
    offset: int = Field(0, ge=0, le=1_000_000, description="跳过的条数")


Item = TypeVar("Item")


class Page(Schema, Generic[Item]):
    count: int = Field(..., description="符合条件的总条数")
    limit: int
    offset: int
    items: list[Item]


def page(queryset, params: PageParams, serialise) -> dict:
    """One page of an ordered queryset (or list): two queries whatever the page's length."""
    if isinstance(queryset, list):
        count = len(queryset)
        rows = queryset[params.offset : params.offset + params.limit]
    else:
        count = queryset.count()
        rows = list(queryset[params.offset : params.offset + params.limit]) if count else []
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "items": [serialise(row) for row in rows],
    }


class Renderer(BaseRenderer):
    """JSON in UTF-8 with Chinese as it is (not \\u escapes)."""

    media_type = "application/json"
    charset = "utf-8"

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def code_label(value, choices) -> dict:
    """A coded value with its Chinese label, e.g. {"code": "selected", "label": "入选"}."""
    return {"code": str(value), "label": str(dict(choices).get(value, value))}


class CodeLabel(Schema):
    code: str
    label: str


class RegionRef(Schema):
    code: str = Field(..., description="行政区划代码（GB/T 2260）")
    name: str


def region_ref(region) -> dict | None:
    return {"code": region.code, "name": region.name} if region is not None else None
