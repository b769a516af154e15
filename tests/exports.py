"""What the tests of lists share: asking for an export as the page's button does, reading
the XLSX back with openpyxl, and bulk rows built as the benches build them."""

import io
import sys
from pathlib import Path

from django.urls import reverse
from openpyxl import load_workbook

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import _data  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = ["_data", "assert_flat_queries", "export", "page_names", "read_xlsx", "sheet_rows"]


def export(client, name, params=None):
    """POST to a list's "导出 XLSX" with the list's GET parameters, as the button does."""
    return client.post(reverse("documents:start_export", args=[name]) + _query(params))


def _query(params):
    from urllib.parse import urlencode

    return f"?{urlencode(params, doseq=True)}" if params else ""


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def sheet_rows(response) -> list[dict]:
    """The exported rows of a direct export's response, as {header: value}."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    content = b"".join(response.streaming_content)
    return rows_of(content)


def rows_of(content: bytes) -> list[dict]:
    sheet = read_xlsx(content).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def about_of(content: bytes) -> dict:
    """The "说明" sheet: {label: text}."""
    sheet = read_xlsx(content)["说明"]
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


def count_queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def assert_flat_queries(function, grow):
    """`function` runs as many SQL queries after `grow()` (more rows) as before; returns
    what it returns the second time. The first call warms the session and the caches."""
    function()
    few = count_queries(function)
    grow()
    result = []
    many = count_queries(lambda: result.append(function()))
    assert many == few, f"{many} queries with more rows, {few} with fewer"
    return result[0]


def page_names(response, names) -> list[str]:
    """Which of `names` the page shows, in the order it shows them."""
    page = response.content.decode()
    found = [(page.find(name), name) for name in names if name in page]
    return [name for _at, name in sorted(found)]
