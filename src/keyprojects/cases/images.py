"""Pictures for the public: vetted by content (documents.uploads), then drawn again
(documents.images: only the pixels survive, upright), the longer side capped."""

import io

from PIL import Image

from keyprojects.documents import images
from keyprojects.documents.images import Redrawn
from keyprojects.documents.uploads import MB, FileKind, inspect_upload

ALLOWED = [FileKind.JPEG, FileKind.PNG]
MAX_UPLOAD_BYTES = 10 * MB
MAX_SIDE = 2000  # pixels, enough for a printed A4 page at 240 dpi
JPEG_QUALITY = 85


def redraw(uploaded) -> Redrawn:
    """Vet an upload (ValidationError if refused) and return its re-encoded pixels."""
    inspected = inspect_upload(uploaded, allowed=ALLOWED, max_bytes=MAX_UPLOAD_BYTES)
    return images.redraw(uploaded, inspected.kind, max_side=MAX_SIDE, quality=JPEG_QUALITY)


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
