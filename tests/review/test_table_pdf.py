"""The summary table's PDF (drawn with fpdf2): what the sealed paper must show, on every page.

The text is read back with pdftotext (poppler-utils, which `make test` and CI install), as
a person or a search would read the printed table; the first and the last page of a long
table are kept as pictures in test-artifacts/screenshots/summary-pdf-*.png to look at.
"""

import copy
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from keyprojects.review import domain, tables
from keyprojects.review.table_pdf import money

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
POPPLER = "pdftotext and pdftoppm (poppler-utils) are needed: `make chromium` installs them"
LABELS = ["序号", "项目名称", "申报单位", "工程类别", "建设周期", "联系人及电话"]


@pytest.fixture
def table(call, county, county_reviewer, submitted):
    for application in submitted:
        domain.decide(application, "recommend", by=county_reviewer, reason="同意推荐")
    table = domain.start_table(domain.batch_for(call, county), by=county_reviewer)
    table.refresh_from_db()
    return table


def lengthened(table, count):
    """The table with `count` rows made from its real ones (names and amounts varied)."""
    content = copy.deepcopy(table.content)
    rows = []
    for serial in range(1, count + 1):
        row = dict(content["rows"][serial % len(content["rows"])], serial=serial)
        row["name"] = f"{row['name']}（第{serial}号子项目）"
        row["total_investment"] = f"{Decimal(serial) * 10 + Decimal('0.25'):.2f}"
        rows.append(row)
    content["rows"] = rows
    for key in ["total_investment", "informatisation_investment"]:
        content[key] = f"{sum(Decimal(row[key]) for row in rows):.2f}"
    table.content = content
    return table


def pdf_pages_text(data: bytes, tmp_path) -> list[str]:
    """The text of each page, without its spaces and line breaks (pdftotext keeps or drops
    the narrow spaces beside Chinese characters by its own rules)."""
    pdftotext = shutil.which("pdftotext") or pytest.fail(POPPLER)
    path = tmp_path / "table.pdf"
    path.write_bytes(data)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    return [
        re.sub(
            r"\s+",
            "",
            subprocess.run(
                [pdftotext, "-f", str(n), "-l", str(n), str(path), "-"],
                check=True,
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout,
        )
        for n in range(1, pages + 1)
    ]


def check_pictures_kept(data: bytes, tmp_path, pages: int):
    """Page 1 and the last page as PNG, for a person to look at (CJK glyphs, no boxes)."""
    pdftoppm = shutil.which("pdftoppm") or pytest.fail(POPPLER)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "table.pdf"
    path.write_bytes(data)
    for name, page in [("first", 1), ("last", pages)]:
        stem = SCREENSHOTS / f"summary-pdf-{name}"
        span = ["-f", str(page), "-l", str(page)]
        subprocess.run(
            [pdftoppm, "-png", "-r", "80", *span, "-singlefile", str(path), str(stem)],
            check=True,
            timeout=60,
        )
        assert stem.with_suffix(".png").stat().st_size > 10_000


def test_the_pdf_shows_the_heading_rows_totals_and_signature_area(table, tmp_path):
    data = tables.render_table_pdf(table)

    [text] = pdf_pages_text(data, tmp_path)
    assert tables.title(table) in text
    assert "推荐单位（盖章）：徐州市沛县信息化主管部门" in text
    assert re.search(r"填报日期：\d{4}年\d{1,2}月\d{1,2}日", text)
    assert f"校验码{table.code}" in text
    for label in [*LABELS, "总投资（万元）"]:
        assert label in text
    for row in table.content["rows"]:
        assert row["name"] in text and row["applicant"] in text
        assert row["contact"].replace(" ", "") in text
    assert "合计" in text and "2个项目" in text
    assert money(table.content["total_investment"]) in text
    assert "单位负责人（签字）" in text and "（单位公章）" in text
    assert "第1页共1页" in text


def test_a_long_table_repeats_its_header_and_numbers_its_pages(table, tmp_path, caplog):
    table = lengthened(table, 160)

    data = tables.render_table_pdf(table)

    pages = pdf_pages_text(data, tmp_path)
    count = len(pages)
    assert count >= 6
    for number, text in enumerate(pages, start=1):
        assert all(label in text for label in LABELS), f"header missing on page {number}"
        assert f"第{number}页共{count}页" in text
        assert f"校验码{table.code}" in text  # every page names its version
    everything = "\n".join(pages)
    positions = [everything.index(f"（第{n}号子项目）") for n in range(1, 161)]
    assert positions == sorted(positions)  # every project, once each way, in order
    assert tables.title(table) in pages[0] and tables.title(table) not in pages[1]
    last = pages[-1]
    assert "160个项目" in last and money(table.content["total_investment"]) in last
    assert "单位负责人（签字）" in last
    assert "（第160号子项目）" in last  # the totals and signatures never stand alone
    assert "no glyph" not in caplog.text
    check_pictures_kept(data, tmp_path, count)


def test_the_qr_code_on_page_one_reads_as_the_online_copy(table):
    data = tables.render_table_pdf(lengthened(table, 40))

    document = pypdfium2.PdfDocument(data)
    image = document[0].render(scale=2.5).to_pil()  # ~180 dpi, as scans are read
    document.close()

    read = [code.text for code in zxingcpp.read_barcodes(image)]
    assert read == [tables.online_url(table)]


def test_the_fonts_are_embedded_as_small_subsets(table):
    data = tables.render_table_pdf(lengthened(table, 160))

    reader = PdfReader(io.BytesIO(data))
    names = {
        str(font.get_object()["/BaseFont"]).lstrip("/")
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert {name.split("+")[1] for name in names} == {"NotoSansSC", "NotoSansSCBold"}
    assert len(data) < 40_000 * len(reader.pages)  # not the 10 MB font files
