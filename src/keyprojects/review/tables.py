"""The 推荐项目汇总表 as files: XLSX for the office's spreadsheets, PDF to print and seal.

Both carry the verification code, and the PDF a QR code pointing to the on-line copy of
that very version, so a scan of the sealed paper can be matched to what it certifies.
"""

import io
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from keyprojects.core.clock import china_time

from . import table_pdf
from .domain import TABLE_COLUMNS
from .models import SummaryTable

# Amounts go into the sheet as exact decimals, never through float.
MONEY = {"total_investment", "informatisation_investment"}


def online_url(table) -> str:
    return settings.SITE_URL + reverse("review:table", args=[table.pk]) + f"?code={table.code}"


def title(table) -> str:
    return f"{table.content['call']}推荐项目汇总表"


def render_xlsx(table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "推荐项目汇总表"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    width = len(TABLE_COLUMNS)
    sheet.append([title(table)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(
        [
            f"推荐单位：{table.content['authority']}（盖章）",
            None,
            None,
            None,
            None,
            f"校验码：{table.code}",
        ]
    )
    sheet.append([str(label) for _key, label in TABLE_COLUMNS])
    for row in table.content["rows"]:
        sheet.append([Decimal(row[key]) if key in MONEY else row[key] for key, _ in TABLE_COLUMNS])
    count = len(table.content["rows"])
    first, last = 4, 3 + count
    sheet.append(
        ["合计", f"{count}个项目", None, None, f"=SUM(E{first}:E{last})", f"=SUM(F{first}:F{last})"]
    )
    sheet.append([f"填报日期：{china_time(table.generated_at):%Y年%m月%d日}"])
    for row in sheet.iter_rows(min_row=3, max_row=last + 1, max_col=width):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=first, max_row=last + 1, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "#,##0.00"
    for column, size in enumerate([6, 30, 26, 12, 14, 14, 16, 20], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _lay_out_pdf(table):
    # Drawn with fpdf2, not WeasyPrint: a 1,000-row table in ~1 s instead of 10–17 s.
    return table_pdf.lay_out(table, title=title(table), url=online_url(table))


def render_table_pdf(table) -> bytes:
    return _lay_out_pdf(table).write_pdf()


def _advance(table, progress):
    table.progress = progress
    SummaryTable.objects.filter(pk=table.pk).update(progress=progress)


def render_files(table):
    """Render both files, saving progress after each step for the page that waits.

    Laying out the PDF is most of the time (about 1 s of CPU for 1,000 rows, see
    docs/benchmarks.md), so the steps are weighted accordingly. Nothing of a table is
    visible before it is whole: both files are rendered in memory and written under new
    random names no row knows, then one UPDATE names them and marks the version ready. A
    worker killed on the way leaves the row pending without files (the task is run again,
    core/task_recovery.py); a run that finds the version already made by another removes
    its own files.
    """
    _advance(table, SummaryTable.Progress.XLSX)
    xlsx = render_xlsx(table)
    _advance(table, SummaryTable.Progress.LAYOUT)
    document = _lay_out_pdf(table)
    _advance(table, SummaryTable.Progress.WRITE)
    pdf = document.write_pdf()
    table.xlsx.save(f"{table.pk}.xlsx", ContentFile(xlsx), save=False)
    table.pdf.save(f"{table.pk}.pdf", ContentFile(pdf), save=False)
    with transaction.atomic():
        made = SummaryTable.objects.filter(pk=table.pk, state=SummaryTable.State.PENDING).update(
            xlsx=table.xlsx.name,
            pdf=table.pdf.name,
            state=SummaryTable.State.READY,
            progress=SummaryTable.Progress.DONE,
        )
    if not made:
        table.xlsx.delete(save=False)
        table.pdf.delete(save=False)
        table.refresh_from_db()
        return table
    table.state, table.progress = SummaryTable.State.READY, SummaryTable.Progress.DONE
    return table
