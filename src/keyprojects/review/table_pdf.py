"""The PDF of the 推荐项目汇总表, drawn with fpdf2 (documents/long_table.py).

A county or city may recommend hundreds or thousands of projects; WeasyPrint took 10–17 s
and ~450 MB to lay out 1,000 rows here, drawing them takes ~1 s (docs/benchmarks.md,
"Summary tables"). The page keeps what the sealed paper needs: title, call and authority,
every column, the totals, the QR code and verification code (on every page's footer too,
so pages of two versions cannot be mixed), page numbers and the signature and seal area.
"""

from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keyprojects.core.clock import china_time
from keyprojects.documents.fast_pdf import Document
from keyprojects.documents.long_table import Block, Cell, Column, Footer, LongTable

from .domain import TABLE_COLUMNS

# Shares of the page width and alignment, in the order of TABLE_COLUMNS.
LAYOUT = {
    "serial": (4.5, "C"),
    "name": (23, "L"),
    "applicant": (17.5, "L"),
    "category": (8.5, "L"),
    "total_investment": (10.5, "R"),
    "informatisation_investment": (10.5, "R"),
    "period": (11.5, "C"),
    "contact": (14, "L"),
}
MONEY = {"total_investment", "informatisation_investment"}
QR_SIZE = 30  # mm, with its quiet zone of four modules (~0.6 mm a module)


def money(value: str) -> str:
    return f"{Decimal(value):,.2f}"


def _cells(row: dict) -> list[str]:
    return [money(row[key]) if key in MONEY else str(row[key]) for key, _label in TABLE_COLUMNS]


def _totals(content: dict) -> list[Cell]:
    count = len(content["rows"])
    return [
        Cell(_("合计"), align="C", bold=True),
        Cell(ngettext("%(n)s 个项目", "%(n)s 个项目", count) % {"n": count}, span=3),
        Cell(money(content["total_investment"]), bold=True),
        Cell(money(content["informatisation_investment"]), bold=True),
        Cell("", span=2),
    ]


def _heading(table, title, url) -> Block:
    """Title, authority and date on the left, the QR code and the code on the right."""
    date = date_format(china_time(table.generated_at), "DATE_FORMAT")
    left = [
        _("推荐单位（盖章）：%(authority)s") % {"authority": table.content["authority"]},
        _("填报日期：%(date)s") % {"date": date},
    ]
    caption = _("校验码 %(code)s") % {"code": table.code}

    def draw(doc: Document, x, y, width):
        doc.text(x, y, width, title, size=16, bold=True, align="C", height=10)
        for number, line in enumerate(left):
            doc.text(x, y + 14 + number * 6.5, width - QR_SIZE, line, size=10.5, height=6.5)
        doc.qr(url, x + width - QR_SIZE, y - 3, QR_SIZE)
        doc.text(x, y + QR_SIZE - 3, width, caption, size=9, bold=True, align="R", height=5)

    return Block(QR_SIZE + 5, draw, (title, *left, caption))


def _signatures() -> Block:
    """Where the head of the authority signs and its seal goes, under the totals."""
    signature = _("单位负责人（签字）：")
    seal, date = _("（单位公章）"), _("年　　月　　日")
    note = _("本表由智慧江苏重点工程申报平台生成；扫描二维码或登录平台输入校验码可核对在线版本。")

    def draw(doc: Document, x, y, width):
        y += 7
        doc.text(x, y, width / 2, signature, size=10.5, height=6)
        doc.text(x + width / 2, y, width / 4, seal, size=10.5, align="R", height=6)
        doc.text(x + width * 3 / 4, y, width / 4 - 8, date, size=10.5, align="R", height=6)
        doc.text(x, y + 26, width, note, size=8.5, align="C", height=5)

    return Block(38, draw, (signature, seal, date, note))


def _footer(table) -> Footer:
    """Page numbers, and the code on every page: a page of another version stands out."""
    numbers = _("第 %(page)s 页 共 %(pages)s 页")
    caption = _("校验码 %(code)s") % {"code": table.code}

    def draw(doc: Document, page, pages):
        y, x, width = doc.pdf.h - 11, 12, doc.pdf.w - 24
        text = numbers % {"page": page, "pages": pages}
        doc.text(x, y, width, text, size=8.5, align="C", height=5)
        doc.text(x, y, width, caption, size=8, align="R", height=5)

    return Footer(draw, (numbers, caption))


def lay_out(table, *, title: str, url: str) -> Document:
    """The drawn document (most of the time, for the progress bar); .write_pdf() gives
    the bytes."""
    columns = [Column(str(label), *LAYOUT[key]) for key, label in TABLE_COLUMNS]
    rows = [_cells(row) for row in table.content["rows"]]
    rows.append(_totals(table.content))
    doc = LongTable(columns, landscape=True).render(
        rows,
        before=_heading(table, title, url),
        after=_signatures(),
        footer=_footer(table),
        keep=2,  # the totals and at least one project stay with the signatures
    )
    doc.pdf.set_title(title)
    doc.pdf.set_subject(table.code)
    return doc
