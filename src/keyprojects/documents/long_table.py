"""A table over as many pages as it needs, drawn with fast_pdf.

What an HTML table with a repeated <thead> gives, for thousands of rows in about a second:
column widths as shares of the page, the header row repeated on every page, rows that are
never split across pages, a block above the table on the first page (title, QR code) and
one below it on the last page (signatures), kept together with the last rows, and a
footer on every page that knows the number of pages (the rows are measured and paginated
before anything is drawn).
"""

from collections.abc import Callable
from dataclasses import dataclass

from .fast_pdf import PT, Document

A4 = (210.0, 297.0)  # mm


@dataclass(frozen=True)
class Column:
    label: str
    share: float  # of the table's width; the shares need not add up to exactly 1
    align: str = "L"  # "L", "C" or "R"


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1  # columns covered
    align: str | None = None  # None: the column's
    bold: bool = False


@dataclass(frozen=True)
class Block:
    """Drawn once: `draw(doc, x, y, width)` within `height` mm, with only these `texts`
    (or their characters: the document's fonts are cut to what it will draw)."""

    height: float
    draw: Callable[[Document, float, float, float], None]
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Footer:
    """Drawn on every page in the bottom margin: `draw(doc, page, pages)`."""

    draw: Callable[[Document, int, int], None]
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Style:
    size: float = 9.0  # pt, rows and header
    line_height: float = 1.4  # times the size
    pad_y: float = 1.2  # mm, above and below a cell's text
    pad_x: float = 1.6  # mm, left and right
    margins: tuple = (14.0, 12.0, 14.0, 12.0)  # mm: top, right, bottom, left
    header_fill: int = 242  # grey level of the header row


@dataclass(frozen=True)
class _Row:
    cells: list  # (x, width, align, bold, lines)
    height: float


def paginate(heights, first_room, room, tail, keep=1) -> list[list[int]]:
    """Row indexes per page. A row moves to the next page whole; the last `keep` rows go
    with the `tail` block (of that height) so that it never stands alone on a page."""
    pages, current, left = [], [], first_room
    for index, height in enumerate(heights):
        if current and height > left:
            pages.append(current)
            current, left = [], room
        current.append(index)
        left -= height
    if left < tail and len(current) > keep:
        pages.append(current[:-keep])
        current = current[-keep:]
    pages.append(current)
    return pages


class LongTable:
    def __init__(self, columns: list[Column], style: Style | None = None, landscape=False):
        self.columns, self.style, self.landscape = columns, style or Style(), landscape
        page_width, page_height = reversed(A4) if landscape else A4
        top, right, bottom, left = self.style.margins
        self.x, self.top = left, top
        self.width = page_width - left - right
        self.bottom = page_height - bottom
        total = sum(column.share for column in columns)
        self.edges = [left]
        for column in columns:
            self.edges.append(self.edges[-1] + self.width * column.share / total)
        self.line = self.style.size * PT * self.style.line_height

    def measure(self, row, bold=False) -> _Row:
        """Wrap each cell of `row` (strings or Cells) to its column(s)."""
        cells, index, tallest = [], 0, 1
        for cell in row:
            cell = cell if isinstance(cell, Cell) else Cell(str(cell))
            x, right = self.edges[index], self.edges[index + cell.span]
            inner = right - x - 2 * self.style.pad_x
            lines = self.doc.wrap(cell.text, inner, self.style.size, bold or cell.bold)
            align = cell.align or self.columns[index].align
            cells.append((x, right - x, align, bold or cell.bold, lines))
            tallest = max(tallest, len(lines))
            index += cell.span
        return _Row(cells, tallest * self.line + 2 * self.style.pad_y)

    def render(self, rows, *, before: Block, after: Block, footer: Footer, keep=1) -> Document:
        """The document of `rows` (lists of strings or Cells) under the header row, with
        `before` on the first page, `after` on the last and `footer` on every page."""
        cells = [cell.text if isinstance(cell, Cell) else str(cell) for row in rows for cell in row]
        labels = [column.label for column in self.columns]
        texts = [*labels, *cells, *before.texts, *after.texts, *footer.texts]
        self.doc = Document(texts, orientation="landscape" if self.landscape else "portrait")
        header = self.measure([Cell(c.label, align="C") for c in self.columns], bold=True)
        measured = [self.measure(row) for row in rows]
        room = self.bottom - self.top - header.height
        pages = paginate(
            [row.height for row in measured],
            room - before.height,
            room,
            after.height,
            keep,
        )
        for number, indexes in enumerate(pages, start=1):
            self.doc.pdf.add_page()
            y = self.top
            if number == 1:
                before.draw(self.doc, self.x, y, self.width)
                y += before.height
            y = self._draw_row(header, y, fill=True)
            for index in indexes:
                y = self._draw_row(measured[index], y)
            if number == len(pages):
                after.draw(self.doc, self.x, y, self.width)
            footer.draw(self.doc, number, len(pages))
        return self.doc

    def _draw_row(self, row: _Row, y: float, fill=False) -> float:
        pdf, style = self.doc.pdf, self.style
        if fill:
            pdf.set_fill_color(style.header_fill)
        for x, width, align, bold, lines in row.cells:
            pdf.rect(x, y, width, row.height, style="DF" if fill else "D")
            top = y + style.pad_y
            if fill:  # header labels are centred vertically too
                top += (row.height - 2 * style.pad_y - len(lines) * self.line) / 2
            for line in lines:
                if line:
                    self.doc.text(
                        x + style.pad_x,
                        top,
                        width - 2 * style.pad_x,
                        line,
                        size=style.size,
                        bold=bold,
                        align=align,
                        height=self.line,
                    )
                top += self.line
        return y + row.height
