"""XLSX files: each dashboard figure with its filters, and the funding priority list for the
finance process. Amounts are written as exact decimals (never through float)."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from keyprojects.core.clock import china_time, now

from .figures import COLUMNS, MONEY_COLUMNS, total_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def describe(scope, call, category_name) -> str:
    """The filters in words, printed under the title."""
    parts = [f"范围：{scope.label}", f"年度批次：{call.title if call else '全部'}"]
    parts.append(f"工程类别：{category_name or '全部'}")
    return "；".join(parts)


def _title(sheet, title, subtitle, width):
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([subtitle])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def _grid(sheet, first, last, width, money_columns=(), widths=()):
    for row in sheet.iter_rows(min_row=first, max_row=last, max_col=width):
        for cell in row:
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.column in money_columns and cell.row > first:
                cell.number_format = MONEY_FORMAT
    for row in sheet.iter_rows(min_row=first, max_row=first, max_col=width):
        for cell in row:
            cell.font = Font(bold=True)
    for column, size in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def figure_xlsx(figure, rows, subtitle) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(figure.title)[:31]
    if figure.kind == "funnel":
        header = [str(figure.heading), "项目数"]
        body = [[row["label"], row["count"]] for row in rows]
        footer, money = None, ()
    else:
        header = [str(figure.heading), *[str(label) for _key, label in COLUMNS]]
        body = [[row["label"], *[row[key] for key, _label in COLUMNS]] for row in rows]
        totals = total_row(rows)
        footer = ["合计", *[totals[key] for key, _label in COLUMNS]]
        money = {i + 2 for i, (key, _label) in enumerate(COLUMNS) if key in MONEY_COLUMNS}
    width = len(header)
    _title(sheet, f"智慧江苏重点工程统计：{figure.title}", subtitle, width)
    sheet.append(header)
    for values in body:
        sheet.append(values)
    if footer:
        sheet.append(footer)
    last = sheet.max_row
    sheet.append([f"导出时间：{china_time(now()):%Y-%m-%d %H:%M}（北京时间）"])
    _grid(sheet, 3, last, width, money, [16, 10, 10, 10, 18, 22][:width])
    return _save(workbook)


FUNDING_HEADER = [
    "序号",
    "项目名称",
    "申报单位",
    "统一社会信用代码",
    "所在地",
    "类别",
    "总投资（万元）",
    "支持金额（万元）",
    "备注",
]


def funding_xlsx(applications, subtitle) -> bytes:
    """The marked projects, numbered, with a totals row, for the finance process."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "专项资金优先支持项目"
    width = len(FUNDING_HEADER)
    _title(sheet, "智慧江苏重点工程专项资金优先支持项目表", subtitle, width)
    sheet.append(FUNDING_HEADER)
    total, support, count = Decimal("0.00"), Decimal("0.00"), 0
    for count, application in enumerate(applications, start=1):
        priority = application.funding_priority
        sheet.append(
            [
                count,
                application.name,
                application.organisation.name,
                application.organisation.credit_code,
                str(application.organisation.seat),
                application.category.name if application.category else "",
                application.total_investment,
                priority.amount,
                priority.note,
            ]
        )
        total += application.total_investment or 0
        support += priority.amount
    sheet.append(["合计", f"{count}个项目", None, None, None, None, total, support, None])
    last = sheet.max_row
    sheet.append([f"导出时间：{china_time(now()):%Y-%m-%d %H:%M}（北京时间）"])
    _grid(sheet, 3, last, width, {7, 8}, [6, 34, 28, 22, 16, 12, 14, 16, 30])
    return _save(workbook)
