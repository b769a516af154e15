"""The files of an import: the uploaded sheet read (vetted as every upload is), the empty
template with its instructions, and the rows that could not be imported with what is wrong
with them, in the same columns so they can be corrected and uploaded again."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from keyprojects.documents.sheets import BadSheet, read_sheet
from keyprojects.documents.uploads import FileKind, inspect_upload, safe_original_name

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_COLUMN = "错误说明"
ROW_COLUMN = "原行号"
_NOT_A_WORKBOOK = {"unknown_type", "office_malformed"}


def read_upload(importer, uploaded) -> tuple[dict, list[dict]]:
    """({file_name, sha256, columns}, [{number, values}]) of an uploaded sheet; BadSheet
    (in Chinese) if the file as a whole cannot be imported."""
    try:
        inspected = inspect_upload(uploaded, allowed=[FileKind.XLSX], max_bytes=importer.max_bytes)
    except ValidationError as error:
        raise BadSheet(_refusal(error)) from error
    columns = importer.read_columns(_header(uploaded))
    rows = read_sheet(uploaded, columns, importer.max_rows)
    if not rows:
        raise BadSheet(_("表中没有数据行。"))
    facts = {
        "file_name": safe_original_name(uploaded.name, "import.xlsx"),
        "sha256": inspected.sha256,
        "columns": columns,
    }
    return facts, [{"number": number, "values": values} for number, values in rows]


def _refusal(error: ValidationError) -> str:
    if error.code in _NOT_A_WORKBOOK:
        return _("无法读取该文件，请上传 Excel（.xlsx）文件。")
    message = " ".join(error.messages)
    if error.code == "type_not_allowed":
        message += " " + _("请上传 Excel（.xlsx）文件。")
    return message


def _header(uploaded) -> set[str]:
    """The names in the first row; empty if unreadable (read_sheet then says why)."""
    try:
        sheet = load_workbook(uploaded, read_only=True, data_only=True).active
        header = next(sheet.iter_rows(max_row=1, values_only=True), ())
    except Exception:  # openpyxl raises many kinds for a broken file
        header = ()
    finally:
        uploaded.seek(0)
    return {str(cell or "").strip() for cell in header}


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold_header(sheet, widths) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell, width in zip(sheet[1], widths, strict=False):
        sheet.column_dimensions[cell.column_letter].width = width


def template_xlsx(importer) -> bytes:
    """The sheet to fill in: the header row alone (an example row would be imported by
    whoever forgets to delete it), and a second sheet explaining every column with an
    example."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(importer.sheet_title)
    sheet.append([c.name for c in importer.columns])
    _bold_header(sheet, [max(12, 2 * len(c.name) + 4) for c in importer.columns])
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列"), _("是否必填"), _("说明"), _("示例")])
    for column in importer.columns:
        required = _("必填") if column.required else _("选填")
        notes.append([column.name, required, str(column.help), str(column.example)])
    notes.append([])
    rule = _("第一行为表头，请勿修改列名；从第二行起每行一条，每次最多 %(n)d 行。")
    notes.append([_("说明"), "", rule % {"n": importer.max_rows}])
    _bold_header(notes, [22, 10, 70, 30])
    for row in notes.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    return _save(workbook)


def describe(problem: dict) -> str:
    """One problem as a sentence: column, what is wrong, how to fix it."""
    text = f"{problem['column']}：{problem['message']}" if problem["column"] else problem["message"]
    if problem.get("fix"):
        text += _("（%(fix)s）") % {"fix": problem["fix"]}
    return text


def error_rows_xlsx(batch) -> bytes:
    """The rows with errors, as read, in the columns of the upload, with what is wrong in a
    last column (the reader ignores columns it does not know: fix, delete it or not, and
    upload the file again)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("有错误的行")
    sheet.append([*batch.columns, ERROR_COLUMN, ROW_COLUMN])
    _bold_header(sheet, [max(12, 2 * len(c) + 4) for c in batch.columns] + [80, 8])
    fill = PatternFill("solid", fgColor="FDE2E1")
    for row in batch.bad_rows:
        errors = "；".join(describe(p) for p in row["errors"])
        sheet.append([row["values"].get(c, "") for c in batch.columns] + [errors, row["number"]])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text as read: never a formula run on opening
                cell.data_type = "s"
        sheet.cell(sheet.max_row, len(batch.columns) + 1).fill = fill
    sheet.freeze_panes = "A2"
    return _save(workbook)
