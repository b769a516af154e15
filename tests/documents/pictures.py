"""Pictures carrying metadata, and the check that a stored picture kept only its pixels."""

import io

from PIL import Image

from ..cases.images import jpeg_with_gps

__all__ = ["assert_only_pixels", "jpeg_with_gps"]


def assert_only_pixels(data: bytes, fmt="JPEG"):
    """The stored bytes are a picture without EXIF, GPS, comments or the owner's name."""
    picture = Image.open(io.BytesIO(data))
    assert picture.format == fmt
    assert not picture.getexif()
    assert "exif" not in picture.info and "comment" not in picture.info
    assert b"GPS" not in data and "张三".encode() not in data and b"secret comment" not in data
    return picture
