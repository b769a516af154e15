"""Fast PDF drawing with fpdf2, for documents too long for WeasyPrint's HTML layout.

WeasyPrint lays out a 1,000-row CJK table in 10–17 s and ~450 MB here; drawing the same
table directly (text lines, rules and a vector QR code) takes about a second. The font is
the same Noto Sans SC TrueType as documents/pdf.py's, cut first with fontTools to the
characters the document holds (~0.3 s a weight), so that neither fpdf2 nor the process
ever keeps the 10 MB, 30,000-glyph originals: that halves the time and the memory fonts
take, and the PDF embeds only the glyphs used. The layout that HTML would do is small and
done here: measuring and wrapping CJK text.
"""

import itertools
import logging
import re
import string
import tempfile
from pathlib import Path

import segno
from django.conf import settings
from fontTools import subset
from fontTools.ttLib import TTFont
from fpdf import FPDF

from .pdf import FONT_FILES

logger = logging.getLogger(__name__)

FAMILY = "NotoSansSC"
PT = 25.4 / 72  # millimetres per point
# Always in the fonts, whatever the texts: digits, Latin letters and common punctuation.
ALWAYS = string.printable + "，。、；：！？（）《》“”‘’〔〕【】—…·　"

# Tables fpdf2 does not use (it shapes no text without uharfbuzz, nor writes vertically).
UNUSED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "STAT", "vhea", "vmtx")

# A breakable unit of text: an ASCII word, a short bracketed group such as （万元）, a run
# of spaces or one other character, with the punctuation that may not open a line kept
# after it and the one that may not end a line kept before it (Chinese line-breaking
# rules, simplified).
_OPENING = "（(《“‘〔【[「『"
_CLOSING = "，。、；：！？）)》”’〕】]」』·…%,.;:!?"
_UNIT = re.compile(
    f"[（(][^（）()\\s]{{1,4}}[）)][{re.escape(_CLOSING)}]*"
    f"|[{re.escape(_OPENING)}]*"
    r"(?:[A-Za-z0-9_.,:/@+\-#&]+|\s+|.)"
    f"[{re.escape(_CLOSING)}]*"
)


def subset_font(source: Path, chars: set[str], target: Path) -> None:
    """Save to `target` the glyphs of `source` for `chars` (no shaping tables: CJK text,
    digits and Latin need none, and fpdf2 does not shape without uharfbuzz)."""
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    font = TTFont(source, lazy=True)
    try:
        for tag in UNUSED_TABLES:  # before subsetting, which would read them first (~0.3 s)
            if tag in font:
                del font[tag]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted({ord(char) for char in chars}))
        subsetter.subset(font)
        font.save(target)
    finally:
        font.close()


class Document:
    """An A4 FPDF with the project's CJK font (regular and bold) for `texts`: every string
    the document will draw must be among them, or contain only ALWAYS characters."""

    def __init__(self, texts, orientation="portrait"):
        self._chars = set(ALWAYS)
        for text in texts:
            self._chars.update(str(text))
        self._drawn = set()
        self._widths = {}
        self._font = None
        self.pdf = FPDF(orientation=orientation, unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)  # pages are cut by the callers' own layout
        self.pdf.set_creator("智慧江苏重点工程申报平台")
        # fpdf2 reads a font from a path; the cut fonts live as long as the document.
        self._font_dir = tempfile.TemporaryDirectory(prefix="kp-fonts-")
        for style, weight in (("", "400"), ("B", "700")):
            target = Path(self._font_dir.name) / f"{weight}.ttf"
            subset_font(settings.PDF_FONT_DIR / FONT_FILES[weight], self._chars, target)
            self.pdf.add_font(FAMILY, style, target)

    def font(self, size: float, bold: bool = False):
        if self._font != (size, bold):  # set_font costs, and most lines share one font
            self.pdf.set_font(FAMILY, "B" if bold else "", size)
            self._font = (size, bold)

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Width of `text` in mm at `size` pt; units repeat a lot, so they are cached."""
        key = (text, size, bold)
        found = self._widths.get(key)
        if found is None:
            self.font(size, bold)
            found = self._widths[key] = self.pdf.get_string_width(text)
        return found

    def wrap(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """`text` cut into lines no wider than `width` mm: between CJK characters, at
        spaces, never inside an ASCII word unless the word alone is too wide."""
        lines = []
        for paragraph in str(text).split("\n"):
            lines.extend(self._wrap_paragraph(paragraph, width, size, bold))
        return lines

    def _wrap_paragraph(self, text, width, size, bold):
        lines, line, used = [], "", 0.0
        for unit in _UNIT.findall(text):
            unit_width = self.width(unit, size, bold)
            if line and used + unit_width > width:
                lines.append(line.rstrip())
                line, used = "", 0.0
            if not line and unit.isspace():
                continue
            if unit_width <= width:
                line, used = line + unit, used + unit_width
                continue
            for char in unit:  # one unit wider than the column: cut it anywhere
                char_width = self.width(char, size, bold)
                if line and used + char_width > width:
                    lines.append(line)
                    line, used = "", 0.0
                line, used = line + char, used + char_width
        lines.append(line.rstrip())
        return lines

    def text(self, x, top, width, line, *, size, bold=False, align="L", height=None):
        """One line of text in the box (x, top, width, height): vertically centred."""
        height = height if height is not None else size * PT * 1.4
        if align != "L":
            spare = width - self.width(line, size, bold)
            x += spare if align == "R" else spare / 2
        self.font(size, bold)
        self._drawn.update(line)
        # CJK glyphs sit from about -0.12 to 0.88 em: centre that on the box.
        self.pdf.text(x, top + height / 2 + 0.38 * size * PT, line)

    def qr(self, data: str, x: float, y: float, size: float, *, error="m"):
        """A QR code as filled vector squares (sharp at any print or scan resolution), in a
        size × size mm square that includes a quiet zone of four modules."""
        rows = segno.make(data, error=error).matrix
        module = size / (len(rows) + 8)
        with self.pdf.new_path() as path:
            path.style.fill_color = "#000000"
            path.style.stroke_color = None
            for r, row in enumerate(rows, start=4):
                c = 4
                for dark, run in itertools.groupby(row):  # one rectangle per run of modules
                    length = len(list(run))
                    if dark:
                        path.rectangle(x + c * module, y + r * module, length * module, module)
                    c += length

    def write_pdf(self) -> bytes:
        """The PDF's bytes, with the font subsets (named as WeasyPrint's document method, so
        callers that lay out first and write after, for progress, take either)."""
        unprepared = self._drawn - self._chars
        if unprepared:  # a caller's mistake: these would print as blanks
            raise ValueError(f"characters drawn but not in the document's texts: {unprepared}")
        missing = {chr(c) for font in self.pdf.fonts.values() for c in font.missing_glyphs}
        if missing:  # rare characters Noto Sans SC lacks: printed blank, worth knowing
            logger.warning("no glyph in Noto Sans SC for %s", "".join(sorted(missing)))
        try:
            return bytes(self.pdf.output())
        finally:
            self._font_dir.cleanup()
