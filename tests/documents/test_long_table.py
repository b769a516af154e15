"""The fast PDF engine of long tables: pagination, CJK line breaking, fonts cut to the text."""

import io
import logging

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from keyprojects.documents.fast_pdf import Document
from keyprojects.documents.long_table import Block, Cell, Column, Footer, LongTable, paginate

SIZE = 9


@pytest.fixture(scope="module")
def doc():
    return Document(["智慧江苏重点工程信息化投资万元二期一网统管平台建设项目"])


def check_lines_fit(doc, lines, width):
    for line in lines:
        assert doc.width(line, SIZE) <= width + 1e-6, line


def test_rows_fill_pages_and_move_whole():
    # First page 35 mm (title above), then 50 mm pages; a row never splits.
    assert paginate([10] * 10, 35, 50, tail=0) == [[0, 1, 2], [3, 4, 5, 6, 7], [8, 9]]
    assert paginate([30, 30], 50, 50, tail=0) == [[0], [1]]


def test_the_last_rows_go_with_a_tail_that_does_not_fit():
    # Five rows fill the page; the signatures (15 mm) take the last two rows with them.
    assert paginate([10] * 5, 50, 50, tail=15, keep=2) == [[0, 1, 2], [3, 4]]
    assert paginate([10] * 3, 50, 50, tail=15, keep=2) == [[0, 1, 2]]


def test_cjk_text_breaks_between_characters_within_the_width(doc):
    text = "智慧江苏重点工程一网统管平台建设项目" * 3
    lines = doc.wrap(text, 30, SIZE)
    assert len(lines) > 3
    assert "".join(lines) == text
    check_lines_fit(doc, lines, 30)


def test_numbers_and_bracketed_units_are_not_cut(doc):
    lines = doc.wrap("信息化投资（万元）", 22, SIZE)
    assert lines[-1] == "（万元）"  # the break comes before the bracket, not inside it
    lines = doc.wrap("张三 13812340000", 22, SIZE)
    assert lines == ["张三", "13812340000"]


def test_a_word_wider_than_the_column_is_cut_anywhere(doc):
    lines = doc.wrap("A" * 60, 20, SIZE)
    assert len(lines) > 2 and "".join(lines) == "A" * 60
    check_lines_fit(doc, lines, 20)


def test_line_breaks_in_the_text_are_kept(doc):
    assert doc.wrap("一网统管\n二期", 100, SIZE) == ["一网统管", "二期"]


def test_drawing_a_character_not_announced_is_refused():
    doc = Document(["甲"], orientation="landscape")
    doc.pdf.add_page()
    doc.text(10, 10, 50, "甲乙", size=SIZE)
    with pytest.raises(ValueError, match="乙"):
        doc.write_pdf()


def test_a_character_the_font_lacks_is_reported(caplog):
    doc = Document(["\U000f0001"])
    doc.pdf.add_page()
    doc.text(10, 10, 50, "\U000f0001", size=SIZE)
    with caplog.at_level(logging.WARNING, logger="keyprojects.documents.fast_pdf"):
        doc.write_pdf()
    assert "no glyph" in caplog.text


def embedded_fonts(data: bytes):
    """(name, glyph count) of each font program embedded in the PDF."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor.get_object()["/FontFile2"].get_object().get_data()
            found[str(font["/BaseFont"]).lstrip("/")] = TTFont(io.BytesIO(program))[
                "maxp"
            ].numGlyphs
    return found


def test_a_long_table_embeds_small_font_subsets():
    columns = [Column("名称", 3), Column("金额（万元）", 1, "R")]
    rows = [[f"第{i}个平台建设项目", f"{i}.00"] for i in range(1, 301)]
    rows.append([Cell("合计", bold=True), "45150.00"])
    table = LongTable(columns)
    data = table.render(
        rows,
        before=Block(
            20, lambda doc, x, y, w: doc.text(x, y, w, "标题", size=16, bold=True), ("标题",)
        ),
        after=Block(10, lambda doc, x, y, w: None),
        footer=Footer(lambda doc, page, pages: doc.text(10, 285, 50, f"{page}/{pages}", size=8)),
    ).write_pdf()

    fonts = embedded_fonts(data)
    assert len(PdfReader(io.BytesIO(data)).pages) > 3
    assert sorted(name.split("+")[1] for name in fonts) == ["NotoSansSC", "NotoSansSCBold"]
    assert all(len(name.split("+")[0]) == 6 for name in fonts)  # subset tags
    assert max(fonts.values()) < 100  # of Noto Sans SC's 30,898 glyphs
    assert len(data) < 150_000
