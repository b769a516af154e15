"""Pictures are vetted by content and redrawn: no metadata, upright, bounded size."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from keyprojects.cases import domain, images
from keyprojects.documents.uploads import MB

from .. import factories
from .images import jpeg_with_gps, png


def test_a_jpeg_loses_its_exif_is_turned_upright_and_capped():
    redrawn = images.redraw(jpeg_with_gps((2400, 1600)))
    picture = Image.open(io.BytesIO(redrawn.data))
    assert picture.format == "JPEG"
    # Orientation 6 turns the 2400×1600 landscape into a portrait, then capped at 2000.
    assert (redrawn.width, redrawn.height) == picture.size == (1333, 2000)
    assert not picture.getexif()
    assert "exif" not in picture.info and "comment" not in picture.info
    assert b"GPS" not in redrawn.data and "张三".encode() not in redrawn.data


def test_a_png_loses_its_text_chunks_and_keeps_transparency():
    redrawn = images.redraw(png(text="内部资料 请勿外传"))
    picture = Image.open(io.BytesIO(redrawn.data))
    assert picture.format == "PNG" and picture.mode == "RGBA"
    assert "Comment" not in picture.info and "内部资料".encode() not in redrawn.data
    assert picture.getpixel((0, 0))[3] == 0  # palette index 0 was transparent


def test_a_pdf_or_a_renamed_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        images.redraw(SimpleUploadedFile("x.jpg", factories.pdf_bytes()))
    assert refused.value.code == "type_not_allowed"
    with pytest.raises(ValidationError) as broken:
        images.redraw(SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nnot really"))
    assert broken.value.code in {"image_malformed", "unknown_type"}


def test_an_oversized_upload_is_refused(settings):
    big = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"0" * (10 * MB))
    with pytest.raises(ValidationError) as refused:
        images.redraw(big)
    assert refused.value.code == "too_large"


def test_a_stored_picture_is_the_redrawn_one_under_a_random_name(case, office):
    picture = domain.add_image(case, jpeg_with_gps(), caption="指挥中心大屏", by=office)
    assert picture.file.name.startswith(f"cases/{case.pk}/") and "照片" not in picture.file.name
    with picture.file.open("rb") as stored:
        data = stored.read()
    assert b"GPS" not in data and len(data) == picture.size
    assert picture.content_type == "image/jpeg" and picture.extension == ".jpg"
    case.refresh_from_db()
    assert case.version == 2


def test_deleting_a_picture_removes_its_file(case, office, django_capture_on_commit_callbacks):
    picture = domain.add_image(case, png(), caption="示意图", by=office)
    storage, name = picture.file.storage, picture.file.name
    with django_capture_on_commit_callbacks(execute=True):
        domain.delete_image(picture, by=office)
    assert not storage.exists(name)
    assert not case.images.exists()
