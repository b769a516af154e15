"""The one reader behind every XLSX import: what it refuses, and with what message."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from keyprojects.documents.sheets import BadSheet, read_sheet

COLUMNS = ["姓名", "电子邮箱"]


def xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("名单.xlsx", buffer.getvalue())


def test_rows_are_read_by_header_with_excel_row_numbers():
    rows = read_sheet(
        xlsx(
            [["电子邮箱", "备注", "姓名"], ["a@example.com", "x", " 张三 "], [], ["b@example.com"]]
        ),
        COLUMNS,
        max_rows=10,
    )
    assert rows == [
        (2, {"姓名": "张三", "电子邮箱": "a@example.com"}),
        (4, {"姓名": "", "电子邮箱": "b@example.com"}),  # a short row: the rest is empty
    ]


def test_a_file_that_is_not_xlsx_is_refused():
    with pytest.raises(BadSheet, match="请上传 Excel"):
        read_sheet(SimpleUploadedFile("名单.xlsx", b"%PDF-1.7 not a workbook"), COLUMNS, 10)


def test_missing_columns_are_named():
    with pytest.raises(BadSheet, match="表头缺少列：电子邮箱"):
        read_sheet(xlsx([["姓名"], ["张三"]]), COLUMNS, 10)


def test_too_many_rows_are_refused():
    rows = [COLUMNS] + [[f"专家{n}", f"e{n}@example.com"] for n in range(4)]
    with pytest.raises(BadSheet, match="一次最多导入 3 行"):
        read_sheet(xlsx(rows), COLUMNS, max_rows=3)
