"""documents.images: every stored picture is drawn again, keeping only its pixels."""

import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from keyprojects.documents import images
from keyprojects.documents.uploads import MB, FileKind, inspect_upload

from ..cases.images import png
from ..factories import pdf_bytes
from .pictures import assert_only_pixels, jpeg_with_gps

SCANS = [FileKind.PDF, FileKind.JPEG, FileKind.PNG]


def test_a_jpeg_is_redrawn_upright_at_full_size_without_metadata():
    uploaded = jpeg_with_gps((1200, 800))
    inspected = inspect_upload(uploaded, SCANS, 10 * MB)

    content, facts = images.stored_form(uploaded, inspected)

    data = content.read()
    picture = assert_only_pixels(data)
    assert picture.size == (800, 1200)  # orientation applied, not capped
    assert facts.size == len(data) and facts.sha256 == hashlib.sha256(data).hexdigest()
    assert facts.sha256 != inspected.sha256 and facts.kind is FileKind.JPEG


def test_a_png_keeps_its_transparency_and_loses_its_text():
    uploaded = png(text="内部资料")
    content, _facts = images.stored_form(uploaded, inspect_upload(uploaded, SCANS, 10 * MB))
    data = content.read()
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "PNG" and "Comment" not in picture.info
    assert "内部资料".encode() not in data and picture.getpixel((0, 0))[3] == 0


def test_other_kinds_are_stored_as_sent():
    uploaded = SimpleUploadedFile("a.pdf", pdf_bytes())
    inspected = inspect_upload(uploaded, SCANS, 10 * MB)
    assert images.stored_form(uploaded, inspected) == (uploaded, inspected)


def test_the_longer_side_can_be_capped():
    redrawn = images.redraw(jpeg_with_gps((2400, 1600)), FileKind.JPEG, max_side=1000)
    assert (redrawn.width, redrawn.height) == (667, 1000)
