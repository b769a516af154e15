"""Import earlier years' key projects (2016–2019) from XLSX: read, check every row, show the
report, then import the good rows together or none.

Columns (first row is the header): 年度, 项目名称, 申报单位, 统一社会信用代码, 工程类别,
所在设区市, 信息化投资（万元）, and optionally 建设内容或项目简介 (what the continuation
check compares). A blank 所在设区市 (or 省级) means a provincial unit or provincial SOE.
"""

import io
import json
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from keyprojects.audit.domain import record
from keyprojects.calls.models import Category
from keyprojects.calls.reference import DATA as CALL_DATA
from keyprojects.core.clock import now
from keyprojects.documents.sheets import BadSheet, read_sheet
from keyprojects.documents.uploads import MB, FileKind, inspect_upload, safe_original_name
from keyprojects.orgs.credit_code import normalise_credit_code, validate_credit_code
from keyprojects.orgs.models import Region

from . import domain
from .models import ProjectImport, TrackedProject

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


class ImportRefused(Exception):
    """The import cannot go ahead; the message says why, in Chinese."""


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


def _cities() -> dict[str, Region]:
    """Each city under its full and its short name (南京市 and 南京)."""
    cities = {}
    for region in Region.objects.filter(kind=Region.Kind.CITY):
        cities[region.name] = region
        cities[region.name.removesuffix("市")] = region
    return cities


def _columns_of(uploaded) -> list[str]:
    """The columns to read: the required ones, and the optional content column if present."""
    try:
        sheet = load_workbook(uploaded, read_only=True, data_only=True).active
        header = next(sheet.iter_rows(max_row=1, values_only=True), ())
    except Exception:  # read_sheet says what is wrong with the file
        header = ()
    finally:
        uploaded.seek(0)
    names = {str(cell or "").strip() for cell in header}
    return COLUMNS + ([CONTENT] if CONTENT in names else [])


def preview(uploaded, *, by) -> ProjectImport:
    """Check the file and every row; store the report for the office to confirm."""
    try:
        inspected = inspect_upload(uploaded, allowed=[FileKind.XLSX], max_bytes=MAX_BYTES)
    except ValidationError as error:
        raise BadSheet(" ".join(error.messages)) from error
    rows = read_sheet(uploaded, _columns_of(uploaded), MAX_ROWS)
    if not rows:
        raise BadSheet(_("表中没有数据行。"))
    return preview_rows(
        [{"number": n, "values": v} for n, v in rows],
        file_name=safe_original_name(uploaded.name, "import.xlsx"),
        sha256=inspected.sha256,
        by=by,
    )


def preview_rows(rows: list[dict], *, file_name, sha256="", by) -> ProjectImport:
    """Check rows ({"number", "values"}) and store the report as an import to confirm."""
    checked = check_rows(rows)
    with transaction.atomic():
        batch = ProjectImport.objects.create(
            file_name=file_name,
            sha256=sha256,
            rows=checked,
            uploaded_by=by,
            uploaded_at=now(),
        )
        record(
            batch,
            "preview",
            actor=by,
            data={"rows": len(checked), "rejected": len([r for r in checked if r["errors"]])},
        )
    return batch


def check_rows(rows: list[dict]) -> list[dict]:
    """Each row with `errors` (Chinese, for the report) and, when good, `clean` values."""
    categories, cities = known_categories(), _cities()
    existing = _existing_keys(rows)
    seen = {}
    for row in rows:
        values = row["values"]
        errors, clean = [], {}
        for column in ["年度", "项目名称", "申报单位", "统一社会信用代码", "工程类别"]:
            if not values.get(column):
                errors.append(_("“%(column)s”不能为空") % {"column": column})
        clean["year"] = _year(values.get("年度", ""), errors)
        clean["name"] = values.get("项目名称", "")[:200]
        clean["applicant_name"] = values.get("申报单位", "")[:128]
        clean["credit_code"] = _credit_code(values.get("统一社会信用代码", ""), errors)
        category = values.get("工程类别", "")
        clean["category_name"] = _category(category, categories)
        if category and clean["category_name"] is None:
            errors.append(
                _("工程类别“%(value)s”不存在，应为：%(names)s")
                % {"value": category, "names": "、".join(categories)}
            )
        clean["city"] = _city(values.get("所在设区市", ""), cities, errors)
        clean["investment"] = _investment(values.get("信息化投资（万元）", ""), errors)
        clean["content"] = values.get(CONTENT, "")
        key = (clean["year"], clean["name"], clean["credit_code"])
        if None not in key and key[1]:
            if key in existing:
                errors.append(_("与已有跟踪项目重复（同一年度、项目名称和信用代码）"))
            elif key in seen:
                errors.append(_("与本表第 %(n)d 行重复") % {"n": seen[key]})
            else:
                seen[key] = row["number"]
        row["errors"] = errors
        row["clean"] = None if errors else clean
    return rows


def _existing_keys(rows) -> set:
    names = {row["values"].get("项目名称", "") for row in rows}
    return set(
        TrackedProject.objects.filter(name__in=names).values_list("year", "name", "credit_code")
    )


def _year(value, errors):
    match = _YEAR.match(value)
    if not value:
        return None
    if match is None:
        errors.append(_("年度“%(value)s”不是年份") % {"value": value})
        return None
    year = int(match.group(1))
    if year > LAST_YEAR:
        errors.append(
            _("年度 %(year)d 晚于 %(last)d 年：%(next)d 年起的重点工程由平台遴选，无须导入")
            % {"year": year, "last": LAST_YEAR, "next": LAST_YEAR + 1}
        )
        return None
    if year < FIRST_YEAR:
        errors.append(
            _("年度 %(year)d 早于 %(first)d 年，不在跟踪范围内")
            % {"year": year, "first": FIRST_YEAR}
        )
        return None
    return year


def _credit_code(value, errors):
    if not value:
        return None
    code = normalise_credit_code(value)
    try:
        validate_credit_code(code)
    except ValidationError as error:
        errors.append(str(error.messages[0]).rstrip("。"))
        return None
    return code


def _city(value, cities, errors):
    if value in PROVINCIAL:
        return None
    region = cities.get(value)
    if region is None:
        errors.append(
            _("所在设区市“%(value)s”不是江苏省的设区市（省级单位请留空）") % {"value": value}
        )
        return None
    return region.code


def _investment(value, errors):
    if not value:
        errors.append(_("“信息化投资（万元）”不能为空"))
        return None
    try:
        amount = Decimal(value.replace(",", "").replace("，", ""))
    except InvalidOperation:
        errors.append(_("信息化投资“%(value)s”不是数字") % {"value": value})
        return None
    if not amount.is_finite():
        errors.append(_("信息化投资“%(value)s”不是数字") % {"value": value})
        return None
    if amount < 0:
        errors.append(_("信息化投资不能为负数"))
        return None
    if amount != amount.quantize(Decimal("0.01")):
        errors.append(_("信息化投资最多保留两位小数（单位：万元）"))
        return None
    if amount >= Decimal("1e10"):
        errors.append(_("信息化投资数额过大，请确认单位为万元"))
        return None
    return str(amount.quantize(Decimal("0.01")))


def confirm(batch, *, by) -> list[TrackedProject]:
    """Import every good row of a previewed file at once, or nothing.

    The rows are checked again: a project imported since the preview makes the whole
    import refused (with the new report stored) rather than half done.
    """
    with transaction.atomic():
        locked = ProjectImport.objects.select_for_update().get(pk=batch.pk)
        if locked.state != ProjectImport.State.PREVIEWED:
            raise ImportRefused(_("该文件已导入，不能重复导入。"))
        before = [row["number"] for row in locked.good_rows]
        rows = check_rows([{"number": r["number"], "values": r["values"]} for r in locked.rows])
        if [row["number"] for row in rows if not row["errors"]] == before:
            try:
                with transaction.atomic():
                    return _create(locked, rows, by)
            except IntegrityError as error:  # a concurrent import of the same project
                raise ImportRefused(
                    _("导入时发现重复项目，未导入任何行，请重新上传检查。")
                ) from error
        locked.rows = rows
        locked.save(update_fields=["rows"])
    raise ImportRefused(
        _("自检查以来已有项目导入，部分行现在重复。已更新检查结果，请核对后再确认导入。")
    )


def _create(locked, rows, by) -> list[TrackedProject]:
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
                imported_by=locked,
                created_at=at,
            )
        )
    TrackedProject.objects.bulk_create(projects, batch_size=500)
    matched = domain.match_organisations()
    locked.state = ProjectImport.State.IMPORTED
    locked.imported_at, locked.imported_count = at, len(projects)
    locked.save(update_fields=["state", "imported_at", "imported_count"])
    record(
        locked,
        "import",
        actor=by,
        from_state=ProjectImport.State.PREVIEWED,
        to_state=ProjectImport.State.IMPORTED,
        data={"imported": len(projects), "rejected": len(locked.bad_rows), "matched": matched},
    )
    return projects


def template_xlsx() -> bytes:
    """The empty import sheet with its header, and a second sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "跟踪项目"
    sheet.append([*COLUMNS, CONTENT])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", [8, 36, 30, 22, 14, 12, 18, 50], strict=True):
        sheet.column_dimensions[column].width = width
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for row in [
        ("年度", f"入选年度，{FIRST_YEAR}—{LAST_YEAR}，如 2018"),
        ("项目名称", "与当年公布名单一致"),
        ("申报单位", "单位全称"),
        ("统一社会信用代码", "18位；建设单位在平台注册后按此代码自动关联"),
        ("工程类别", "、".join(known_categories())),
        ("所在设区市", "如 南京市 或 南京；省级单位、省属企业留空"),
        ("信息化投资（万元）", "不含土建，单位万元，最多两位小数"),
        (CONTENT, "可选，用于续期项目比对"),
    ]:
        notes.append(list(row))
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
