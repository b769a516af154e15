"""Reading the XLSX files people upload for imports: vetted like every upload (uploads.py:
type, size, macros, virus scan), read-only, a bounded number of rows, a header row naming
the columns, a Chinese message for every way it can be wrong."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .uploads import MB, FileKind, inspect_upload

MAX_BYTES = 10 * MB
# Refusals that mean "this is not a readable workbook": said the way imports always said it.
_NOT_A_WORKBOOK = {"unknown_type", "type_not_allowed", "office_malformed"}


class BadSheet(Exception):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


def read_sheet(uploaded, columns: list[str], max_rows: int) -> list[tuple[int, dict]]:
    """(row number as Excel shows it, {column: text}) for each non-empty row."""
    unreadable = _("无法读取该文件，请上传 Excel（.xlsx）文件。")
    try:
        inspect_upload(uploaded, [FileKind.XLSX], MAX_BYTES)
    except ValidationError as error:
        message = unreadable if error.code in _NOT_A_WORKBOOK else " ".join(error.messages)
        raise BadSheet(message) from error
    try:
        sheet = load_workbook(uploaded, read_only=True, data_only=True).active
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise BadSheet(unreadable) from error
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, [])]
    missing = [column for column in columns if column not in header]
    if missing:
        raise BadSheet(_("表头缺少列：%(columns)s。") % {"columns": "、".join(missing)})
    result = []
    for number, cells in enumerate(rows, start=2):
        cells = list(cells) + [None] * len(header)  # short rows: the missing cells are empty
        values = {c: str(cells[header.index(c)] or "").strip() for c in columns}
        if any(values.values()):
            result.append((number, values))
        if len(result) > max_rows:
            raise BadSheet(_("一次最多导入 %(n)d 行。") % {"n": max_rows})
    return result
