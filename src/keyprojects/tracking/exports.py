"""A round as an XLSX file: every report with its figures, the local comment and the grades.

Amounts go in as exact decimals (never through float) in 万元; the file is written in
openpyxl's write-only mode so a round of thousands of reports stays small in memory.
"""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from keyprojects.core.clock import china_time, now

from .queries import round_reports

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS = [
    ("序号", 6),
    ("项目名称", 34),
    ("年度", 7),
    ("来源", 9),
    ("申报单位", 28),
    ("统一社会信用代码", 21),
    ("工程类别", 11),
    ("设区市", 9),
    ("信息化投资（万元）", 14),
    ("累计完成投资（万元）", 14),
    ("状态", 9),
    ("提交时间", 17),
    ("逾期提交", 8),
    ("已完成的建设内容和里程碑", 40),
    ("应用情况和建设成效", 40),
    ("存在的问题和下一步计划", 40),
    ("附件数", 7),
    ("属地主管部门", 22),
    ("属地意见", 36),
    ("进度是否符合计划", 10),
    ("进度说明", 24),
    ("资金使用", 10),
    ("资金说明", 24),
    ("成效", 10),
    ("成效说明", 24),
    ("总体评价", 10),
    ("评价意见", 30),
]
MONEY_FORMAT = "#,##0.00"


def _evaluation_cells(report):
    evaluation = getattr(report, "evaluation", None)
    if evaluation is None:
        return [""] * 8
    return [
        evaluation.get_on_schedule_display(),
        evaluation.on_schedule_remark,
        evaluation.get_funds_display(),
        evaluation.funds_remark,
        evaluation.get_results_display(),
        evaluation.results_remark,
        evaluation.get_overall_display(),
        evaluation.remark,
    ]


def _row(serial, report):
    project = report.project
    comment = getattr(report, "comment", None)
    submitted = f"{china_time(report.submitted_at):%Y-%m-%d %H:%M}" if report.submitted_at else ""
    return [
        serial,
        project.name,
        project.year,
        project.get_source_display(),
        project.applicant_name,
        project.credit_code,
        project.category_name,
        project.city.name if project.city_id else "省级",
        project.informatisation_investment,
        report.investment_completed,
        report.get_state_display(),
        submitted,
        "是" if report.late else "",
        report.milestones,
        report.users_and_results,
        report.problems,
        report.attachment_count,
        report.authority.name if report.authority_id else "",
        comment.text if comment else "",
        *_evaluation_cells(report),
    ]


def render_round(round_) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("进展报告")
    for index, (_label, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    title = WriteOnlyCell(sheet, f"{round_.title}（{round_.period}）进展报告汇总")
    title.font = Font(size=14, bold=True)
    sheet.append([title])
    stamp = f"{china_time(now()):%Y-%m-%d %H:%M}"
    sheet.append([f"截止日期：{round_.due_on:%Y年%m月%d日}　导出时间：{stamp}"])
    header = []
    for label, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    reports = round_reports(round_).order_by("project__city_id", "project__name", "pk")
    for serial, report in enumerate(reports.iterator(chunk_size=500), start=1):
        cells = []
        for index, value in enumerate(_row(serial, report)):
            cell = WriteOnlyCell(sheet, value)
            if index in (8, 9) and value is not None:
                cell.number_format = MONEY_FORMAT
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(round_) -> str:
    return f"{round_.title}-进展报告汇总.xlsx"
