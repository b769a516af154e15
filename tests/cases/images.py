"""Pictures for the tests of typical cases."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_with_gps(size=(2400, 1600)) -> SimpleUploadedFile:
    """A JPEG whose EXIF names the camera's owner and position, rotated by its orientation."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x013B] = "张三"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    exif.get_ifd(0x8825)[2] = (32.0, 3.0, 0.0)  # GPSLatitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return SimpleUploadedFile("照片.jpg", out.getvalue(), content_type="image/jpeg")


def png(size=(640, 360), text=None) -> SimpleUploadedFile:
    from PIL import PngImagePlugin

    image = Image.new("P", size, 0)  # every pixel is index 0, the transparent one
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, transparency=0)
    return SimpleUploadedFile("图.png", out.getvalue(), content_type="image/png")
