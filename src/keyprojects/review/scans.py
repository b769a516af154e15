"""Reading a stamped scan: the table's QR code, and whether a red seal is visible.

PDF pages are rendered with pypdfium2 and read with zxing-cpp, both maintained libraries
installed from wheels. The seal check is a heuristic (share of strongly red pixels) and
only ever produces a warning.
"""

import io
import re
from urllib.parse import parse_qs, urlparse

import pypdfium2
import zxingcpp
from PIL import Image

from keyprojects.documents.uploads import FileKind

CODE = re.compile(r"^[0-9A-F]{4}(-[0-9A-F]{4}){3}$")
MAX_PAGES = 10
RENDER_SCALE = 2.5  # ~180 dpi: enough for a 26 mm QR code
SEAL_SHARE = 0.0015  # share of seal-red pixels on a page that counts as a visible seal


def pages(data: bytes, kind: FileKind) -> list[Image.Image]:
    if kind is FileKind.PDF:
        document = pypdfium2.PdfDocument(data)
        try:
            return [
                document[i].render(scale=RENDER_SCALE).to_pil().convert("RGB")
                for i in range(min(len(document), MAX_PAGES))
            ]
        finally:
            document.close()
    return [Image.open(io.BytesIO(data)).convert("RGB")]


def normalise_code(text: str) -> str:
    compact = re.sub(r"[^0-9A-Fa-f]", "", text or "").upper()
    if len(compact) != 16:
        return ""
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


def codes_in(images) -> list[str]:
    """Verification codes found in QR codes on the pages, in page order."""
    found = []
    for image in images:
        for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            query = parse_qs(urlparse(barcode.text).query)
            code = normalise_code((query.get("code") or [""])[0])
            if code and code not in found:
                found.append(code)
    return found


def has_red_seal(images) -> bool:
    for image in images:
        small = image.copy()
        small.thumbnail((600, 600))
        data = small.tobytes()  # RGB triples
        red = sum(
            1
            for r, g, b in zip(data[0::3], data[1::3], data[2::3], strict=True)
            if r > 150 and g < 110 and b < 110 and r - g > 70
        )
        if red / (small.width * small.height) >= SEAL_SHARE:
            return True
    return False
