"""Pictures for the public: vetted by content (documents.uploads), then drawn again.

An uploaded photo may carry the camera's GPS position, the owner's name, a thumbnail of
what was cropped away, or bytes crafted for some decoder. Re-encoding with Pillow keeps
only the pixels: the EXIF orientation is applied first (so the picture stays upright), then
every chunk of metadata is left behind and the longer side is capped.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from keyprojects.documents.uploads import MB, FileKind, inspect_upload

ALLOWED = [FileKind.JPEG, FileKind.PNG]
MAX_UPLOAD_BYTES = 10 * MB
MAX_SIDE = 2000  # pixels, enough for a printed A4 page at 240 dpi
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Redrawn:
    data: bytes
    kind: FileKind
    width: int
    height: int


def redraw(uploaded) -> Redrawn:
    """Vet an upload (ValidationError if refused) and return its re-encoded pixels."""
    inspected = inspect_upload(uploaded, allowed=ALLOWED, max_bytes=MAX_UPLOAD_BYTES)
    with Image.open(uploaded) as original:
        picture = ImageOps.exif_transpose(original)
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if inspected.kind is FileKind.JPEG:
        picture = picture.convert("RGB")
        picture.info = {}
        picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        # Palette transparency lives in `info`, which is dropped: keep it as an alpha channel.
        if picture.mode not in {"RGB", "RGBA", "L", "LA"}:
            picture = picture.convert("RGBA")
        picture.info = {}
        picture.save(out, "PNG", optimize=True)
    return Redrawn(out.getvalue(), inspected.kind, picture.width, picture.height)


def for_print(data: bytes, max_side: int = 1200) -> tuple[bytes, str]:
    """A smaller copy for the yearly PDF, which holds every picture of a year's cases."""
    with Image.open(io.BytesIO(data)) as picture:
        picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if picture.mode in {"RGBA", "LA", "P"}:
            picture.save(out, "PNG", optimize=True)
            return out.getvalue(), "image/png"
        picture.convert("RGB").save(out, "JPEG", quality=80)
        return out.getvalue(), "image/jpeg"
