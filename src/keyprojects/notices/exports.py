"""The list as files: XLSX (exact decimals, totals) and PDF (Chinese template, CJK font)."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from keyprojects.core.clock import china_time, now
from keyprojects.documents.pdf import render_pdf

from .models import PublicNotice
from .publication import EXPORT_COLUMNS, MONEY, shown_list

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def title(notice) -> str:
    if notice.state == PublicNotice.State.FINALISED:
        return f"{notice.call.title}入选项目名单"
    # Before finalisation the export is a working copy and says so on its face.
    return f"{notice.call.title}拟入选项目名单（未定稿）"


def render_xlsx(notice) -> bytes:
    content = shown_list(notice)
    rows = content["rows"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "入选项目名单"
    width = len(EXPORT_COLUMNS)
    sheet.append([title(notice)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([str(label) for _key, label in EXPORT_COLUMNS])
    for row in rows:
        # Amounts go in as exact decimals, never through float.
        sheet.append([Decimal(row[key]) if key in MONEY else row[key] for key, _ in EXPORT_COLUMNS])
    sheet.append(
        [
            "合计",
            f"{len(rows)}个项目",
            None,
            None,
            None,
            None,
            Decimal(content["total_investment"]),
            Decimal(content["informatisation_investment"]),
        ]
    )
    stamp = notice.finalised_at or now()
    sheet.append([f"导出日期：{china_time(stamp):%Y年%m月%d日}"])
    _style(sheet, last=2 + len(rows) + 1, width=width)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _style(sheet, *, last, width):
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in sheet.iter_rows(min_row=2, max_row=last, max_col=width):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=3, max_row=last, min_col=7, max_col=8):
        for cell in row:
            cell.number_format = "#,##0.00"
    for column, size in enumerate([6, 12, 12, 34, 28, 12, 14, 16], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size


def render_list_pdf(notice) -> bytes:
    content = shown_list(notice)
    return render_pdf(
        "notices/final_list_pdf.html",
        {
            "notice": notice,
            "title": title(notice),
            "content": content,
            "columns": EXPORT_COLUMNS,
            "stamp": china_time(notice.finalised_at or now()),
        },
    )
