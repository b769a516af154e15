"""Import earlier years' key projects (2016–2019) from XLSX through the shared import flow
(keyprojects.imports): read, check every row, show the report, then import the good rows
together or none.

Columns (first row is the header): 年度, 项目名称, 申报单位, 统一社会信用代码, 工程类别,
所在设区市, 信息化投资（万元）, and optionally 建设内容或项目简介 (what the continuation
check compares). A blank 所在设区市 (or 省级) means a provincial unit or provincial SOE.
"""

import json
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.calls.models import Category
from keyprojects.calls.reference import DATA as CALL_DATA
from keyprojects.core.clock import now
from keyprojects.imports import domain as flow
from keyprojects.imports import files
from keyprojects.imports.base import (
    CREATED,
    MB,
    Column,
    Importer,
    ImportRefused,
    Written,
    register,
)
from keyprojects.orgs.credit_code import normalise_credit_code, validate_credit_code
from keyprojects.orgs.models import Region
from keyprojects.orgs.queries import cities_by_name

from . import domain
from .models import TrackedProject

__all__ = ["ImportRefused", "check_rows", "confirm", "preview", "preview_rows", "template_xlsx"]

# Before the platform: the platform's own first call was 2020.
FIRST_YEAR, LAST_YEAR = 2016, 2019
COLUMNS = [
    "年度",
    "项目名称",
    "申报单位",
    "统一社会信用代码",
    "工程类别",
    "所在设区市",
    "信息化投资（万元）",
]
CONTENT = "建设内容或项目简介"
MAX_ROWS = 5000
MAX_BYTES = 5 * MB
PROVINCIAL = {"", "省级", "省级单位", "省属企业", "省直"}
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?\s*年?$")
_AMOUNT = "信息化投资（万元）"


def known_categories() -> list[str]:
    """The 2020 call's categories and any a call has since had (names as the notice writes
    them, e.g. 数字治理类)."""
    spec = json.loads((CALL_DATA / "call_2020.json").read_text(encoding="utf-8"))
    names = [name for _code, name, _description in spec["categories"]]
    for name in Category.objects.order_by("name").values_list("name", flat=True).distinct():
        if name not in names:
            names.append(name)
    return names


def _category(value: str, categories: list[str]) -> str | None:
    for name in categories:
        if value in {name, name.removesuffix("类")}:
            return name
    return None


class TrackedProjects(Importer):
    key = "tracking.projects"
    permission = "tracking.manage"
    url_name = "tracking:import"
    title = gettext_lazy("导入往年重点工程")
    file_label = gettext_lazy("历史重点工程名单（.xlsx）")
    sheet_title = gettext_lazy("跟踪项目")
    template_name = gettext_lazy("历史重点工程导入模板.xlsx")
    columns = [
        Column("年度", gettext_lazy("入选年度，2016—2019"), "2018"),
        Column("项目名称", gettext_lazy("与当年公布名单一致"), "南京市城市运行一网统管平台"),
        Column("申报单位", gettext_lazy("单位全称"), "南京市城市运行管理中心"),
        Column(
            "统一社会信用代码",
            gettext_lazy("18位；建设单位在平台注册后按此代码自动关联"),
            "123201004660123454",
        ),
        Column(
            "工程类别",
            gettext_lazy("数字基建类、数字经济类、数字治理类、网络安全类（可不写“类”）"),
            "数字治理类",
        ),
        Column(
            "所在设区市",
            gettext_lazy("如 南京市 或 南京；省级单位、省属企业留空"),
            "南京市",
            required=False,
        ),
        Column(_AMOUNT, gettext_lazy("不含土建，单位万元，最多两位小数"), "1200.50"),
        Column(
            CONTENT,
            gettext_lazy("可选，用于续期项目比对"),
            "",
            required=False,
            optional=True,
        ),
    ]
    preview_columns = ["年度", "项目名称", "申报单位", "统一社会信用代码", "所在设区市", _AMOUNT]
    max_bytes = MAX_BYTES
    confirm_label = gettext_lazy("确认导入 %(n)d 个项目")
    done_message = gettext_lazy("已导入 %(n)d 个项目。")
    changed_message = gettext_lazy(
        "自检查以来已有项目导入，部分行现在重复。已更新检查结果，请核对后再确认导入。"
    )
    clash_message = gettext_lazy("导入时发现重复项目，未导入任何行，请重新上传检查。")
    header_template = "tracking/_import_header.html"
    notes_template = "tracking/_import_notes.html"

    @property
    def max_rows(self):
        return MAX_ROWS  # read when used: tests lower it

    def prepare(self, rows):
        names = {row["values"].get("项目名称", "") for row in rows}
        existing = set(
            TrackedProject.objects.filter(name__in=names).values_list("year", "name", "credit_code")
        )
        return {
            "categories": known_categories(),
            "cities": cities_by_name(),
            "existing": existing,
            "seen": {},
        }

    def check_row(self, row, problems, context):
        values = row["values"]
        problems.require(values, ["年度", "项目名称", "申报单位", "统一社会信用代码", "工程类别"])
        clean = {
            "year": _year(values.get("年度", ""), problems),
            "name": values.get("项目名称", "")[:200],
            "applicant_name": values.get("申报单位", "")[:128],
            "credit_code": _credit_code(values.get("统一社会信用代码", ""), problems),
        }
        category = values.get("工程类别", "")
        clean["category_name"] = _category(category, context["categories"])
        if category and clean["category_name"] is None:
            problems.add(
                "工程类别",
                _("工程类别“%(value)s”不存在，应为：%(names)s")
                % {"value": category, "names": "、".join(context["categories"])},
                _("请填写其中之一"),
            )
        clean["city"] = _city(values.get("所在设区市", ""), context["cities"], problems)
        clean["investment"] = _investment(values.get(_AMOUNT, ""), problems)
        clean["content"] = values.get(CONTENT, "")
        _check_duplicate(row, clean, problems, context)
        return clean

    def write(self, rows, *, batch, by):
        at = now()
        cities = {r.code: r for r in Region.objects.filter(kind=Region.Kind.CITY)}
        projects = []
        for row in rows:
            if row["errors"]:
                continue
            clean = row["clean"]
            projects.append(
                TrackedProject(
                    year=clean["year"],
                    name=clean["name"],
                    applicant_name=clean["applicant_name"],
                    credit_code=clean["credit_code"],
                    category_name=clean["category_name"],
                    city=cities.get(clean["city"]) if clean["city"] else None,
                    informatisation_investment=Decimal(clean["investment"]),
                    content=clean["content"],
                    source=TrackedProject.Source.IMPORTED,
                    imported_by_id=batch.pk,
                    created_at=at,
                )
            )
            row["outcome"] = CREATED
        TrackedProject.objects.bulk_create(projects, batch_size=500)
        return Written(projects, {"matched": domain.match_organisations()})


PROJECTS = register(TrackedProjects())


def _check_duplicate(row, clean, problems, context):
    key = (clean["year"], clean["name"], clean["credit_code"])
    if None in key or not key[1]:
        return
    if key in context["existing"]:
        problems.add(
            "项目名称",
            _("与已有跟踪项目重复（同一年度、项目名称和信用代码）"),
            _("该项目已导入，请删除此行"),
        )
    elif key in context["seen"]:
        problems.add(
            "项目名称",
            _("与本表第 %(n)d 行重复") % {"n": context["seen"][key]},
            _("请删除重复的行"),
        )
    else:
        context["seen"][key] = row["number"]


def _year(value, problems):
    match = _YEAR.match(value)
    if not value:
        return None
    if match is None:
        problems.add(
            "年度", _("年度“%(value)s”不是年份") % {"value": value}, _("请填写四位年份，如 2018")
        )
        return None
    year = int(match.group(1))
    if year > LAST_YEAR:
        problems.add(
            "年度",
            _("年度 %(year)d 晚于 %(last)d 年：%(next)d 年起的重点工程由平台遴选，无须导入")
            % {"year": year, "last": LAST_YEAR, "next": LAST_YEAR + 1},
            _("请删除此行"),
        )
        return None
    if year < FIRST_YEAR:
        problems.add(
            "年度",
            _("年度 %(year)d 早于 %(first)d 年，不在跟踪范围内")
            % {"year": year, "first": FIRST_YEAR},
            _("请删除此行"),
        )
        return None
    return year


def _credit_code(value, problems):
    if not value:
        return None
    code = normalise_credit_code(value)
    try:
        validate_credit_code(code)
    except ValidationError as error:
        problems.add(
            "统一社会信用代码",
            str(error.messages[0]).rstrip("。"),
            _("请按营业执照或登记证书填写18位代码"),
        )
        return None
    return code


def _city(value, cities, problems):
    if value in PROVINCIAL:
        return None
    region = cities.get(value)
    if region is None:
        problems.add(
            "所在设区市",
            _("所在设区市“%(value)s”不是江苏省的设区市（省级单位请留空）") % {"value": value},
            _("请填写如“南京市”或“南京”"),
        )
        return None
    return region.code


def _investment(value, problems):
    fix = _("请填写以万元为单位的金额，如 1200.50")
    if not value:
        problems.add(_AMOUNT, _("“信息化投资（万元）”不能为空"), fix)
        return None
    try:
        amount = Decimal(value.replace(",", "").replace("，", ""))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        problems.add(_AMOUNT, _("信息化投资“%(value)s”不是数字") % {"value": value}, fix)
        return None
    if amount < 0:
        problems.add(_AMOUNT, _("信息化投资不能为负数"), fix)
        return None
    if amount != amount.quantize(Decimal("0.01")):
        problems.add(_AMOUNT, _("信息化投资最多保留两位小数（单位：万元）"), fix)
        return None
    if amount >= Decimal("1e10"):
        problems.add(_AMOUNT, _("信息化投资数额过大，请确认单位为万元"), fix)
        return None
    return str(amount.quantize(Decimal("0.01")))


# --- The functions other code and the tests call -----------------------------------------


def preview(uploaded, *, by):
    """Check the file and every row; store the report for the office to confirm."""
    return flow.stage(PROJECTS, uploaded, by=by)


def preview_rows(rows: list[dict], *, file_name, sha256="", by):
    """Check rows ({"number", "values"}) and store the report as an import to confirm."""
    return flow.stage_rows(PROJECTS, rows, by=by, file_name=file_name, sha256=sha256)


def check_rows(rows: list[dict]) -> list[dict]:
    """Each row with `errors` (Chinese, for the report) and, when good, `clean` values."""
    return flow.check(PROJECTS, rows)


def confirm(batch, *, by) -> list[TrackedProject]:
    """Import every good row of a previewed file at once, or nothing (imports.domain)."""
    return flow.confirm(batch, by=by).objects


def template_xlsx() -> bytes:
    """The empty import sheet with its header, and a second sheet explaining each column."""
    return files.template_xlsx(PROJECTS)
