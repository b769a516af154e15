"""Reading the XLSX files people upload for imports: read-only, a bounded number of rows,
a header row naming the columns, a Chinese message for every way it can be wrong."""

from django.utils.translation import gettext as _
from openpyxl import load_workbook


class BadSheet(Exception):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


def read_sheet(uploaded, columns: list[str], max_rows: int) -> list[tuple[int, dict]]:
    """(row number as Excel shows it, {column: text}) for each non-empty row."""
    try:
        sheet = load_workbook(uploaded, read_only=True, data_only=True).active
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise BadSheet(_("无法读取该文件，请上传 Excel（.xlsx）文件。")) from error
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
