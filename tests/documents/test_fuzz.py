"""Validators and importers under generated input (hypothesis): whatever arrives, the
answer is a clear refusal in Chinese or a result, never an unexpected exception (a 500)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from keyprojects.documents.sheets import BadSheet, read_sheet
from keyprojects.documents.uploads import FileKind, inspect_upload
from keyprojects.orgs.credit_code import validate_credit_code
from keyprojects.tracking import imports

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
CELL = st.one_of(
    st.none(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.text(alphabet=st.one_of(CHINESE, st.characters(codec="utf-8")), max_size=40).map(
        # What an XLSX can hold (openpyxl refuses to write control characters)
        lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)
    ),
)
FUZZ = settings(
    max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(["x.pdf", "x.png", "x.xlsx", "x", "../x.pdf"]))
def test_any_bytes_are_vetted_or_refused_with_a_code(data, name):
    upload = SimpleUploadedFile(name, data)
    try:
        inspected = inspect_upload(upload, list(FileKind), max_bytes=1024 * 1024)
    except ValidationError as refusal:
        assert refusal.code and str(refusal.message)
    else:
        assert inspected.size == len(data)
    assert upload.tell() == 0  # left where the next reader expects it


@FUZZ
@given(st.text(max_size=30))
def test_any_text_is_a_valid_credit_code_or_a_chinese_refusal(value):
    try:
        validate_credit_code(value)
    except ValidationError as refusal:
        assert any("\u4e00" <= ch <= "\u9fa5" for ch in str(refusal.message))


@FUZZ
@given(st.binary(max_size=2048))
def test_any_bytes_as_a_spreadsheet_are_read_or_refused(data):
    try:
        rows = read_sheet(io.BytesIO(data), ["年度"], max_rows=10)
    except BadSheet as refusal:
        assert str(refusal)
    else:
        assert isinstance(rows, list)


def xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(imports.COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.django_db
@FUZZ
@given(st.lists(st.lists(CELL, min_size=0, max_size=len(imports.COLUMNS) + 2), max_size=6))
def test_the_tracking_import_reports_every_generated_row(regions, rows):
    read = read_sheet(xlsx(rows), imports.COLUMNS, max_rows=100)
    checked = imports.check_rows([{"number": n, "values": values} for n, values in read])
    assert len(checked) == len(read)
    for row in checked:
        # A row is either imported as it is clean, or reported with its reasons.
        assert (row["clean"] is None) == bool(row["errors"])
        if row["clean"] is not None:
            assert 2016 <= row["clean"]["year"] <= 2019 and row["clean"]["investment"] >= 0
