"""Uploaded pictures are drawn again before they are stored: only the pixels survive.

A photo or scan may carry the camera's GPS position, the owner's name, a thumbnail of what
was cropped away, or bytes crafted for some decoder further down the line (a browser, a PDF
viewer). inspect_upload has vetted the file; here Pillow decodes it, applies the EXIF
orientation (so the picture stays upright), optionally caps the longer side, and saves it
anew in the same format, leaving every chunk of metadata behind.
"""

import dataclasses
import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from .uploads import FileKind, InspectedFile

IMAGE_KINDS = {FileKind.JPEG, FileKind.PNG}
JPEG_QUALITY = 90


@dataclass(frozen=True)
class Redrawn:
    data: bytes
    kind: FileKind
    width: int
    height: int


def redraw(f, kind: FileKind, *, max_side: int | None = None, quality=JPEG_QUALITY) -> Redrawn:
    """Decode the vetted image `f` and encode it again without metadata."""
    f.seek(0)
    with Image.open(f, formats=[kind.name]) as original:
        picture = ImageOps.exif_transpose(original)
    f.seek(0)
    if max_side:
        picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind is FileKind.JPEG:
        picture = picture.convert("RGB")
        picture.info = {}
        picture.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        # Palette transparency lives in `info`, which is dropped: keep it as an alpha channel.
        if picture.mode not in {"RGB", "RGBA", "L", "LA"}:
            picture = picture.convert("RGBA")
        picture.info = {}
        picture.save(out, "PNG", optimize=True)
    return Redrawn(out.getvalue(), kind, picture.width, picture.height)


def stored_form(uploaded, inspected: InspectedFile):
    """What to store of a vetted upload, and its facts: images redrawn, other kinds as sent.

    Returns (file to save, InspectedFile with the stored bytes' size and SHA-256).
    """
    if inspected.kind not in IMAGE_KINDS:
        return uploaded, inspected
    data = redraw(uploaded, inspected.kind).data
    facts = dataclasses.replace(inspected, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    return ContentFile(data), facts
