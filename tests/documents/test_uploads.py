"""inspect_upload: type by content, and refusal of dangerous or broken files.

Every fixture file is built here, in memory. Assertions compare error codes and params, not
rendered messages, so the tests need neither the database nor translations.
"""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from keyprojects.documents.uploads import FileKind, InspectedFile, inspect_upload

MB = 1024 * 1024
LIMIT = 20 * MB
ANY_KIND = set(FileKind)
SCANS = {FileKind.PDF, FileKind.JPEG, FileKind.PNG}


def refusal(data: bytes, allowed=ANY_KIND, max_bytes=LIMIT) -> ValidationError:
    uploaded = SimpleUploadedFile("upload.bin", data)
    with pytest.raises(ValidationError) as info:
        inspect_upload(uploaded, allowed, max_bytes)
    assert uploaded.tell() == 0
    return info.value


def accepted_kind(data: bytes, allowed=ANY_KIND, max_bytes=LIMIT) -> FileKind:
    return inspect_upload(SimpleUploadedFile("upload.bin", data), allowed, max_bytes).kind


# --- fixture builders ------------------------------------------------------------------------


def make_pdf(edit=None, pages=1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if edit:
        edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def name(value: str) -> NameObject:
    return NameObject(value)


def rect() -> ArrayObject:
    return ArrayObject([NumberObject(n) for n in (10, 10, 100, 100)])


def hand_built_pdf(
    catalog_extra: bytes = b"", extra_objects: tuple[bytes, ...] = (), trailer_extra: bytes = b""
) -> bytes:
    """A one-page PDF written byte by byte, for constructs PdfWriter would normalise away."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


def make_image(fmt: str, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(out, fmt)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG that declares huge dimensions: the shape of a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


OOXML = "application/vnd.openxmlformats-officedocument"
MAIN_PARTS = {
    "docx": ("word/document.xml", f"{OOXML}.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", f"{OOXML}.spreadsheetml.sheet.main+xml"),
}


def office_members(kind: str, main_type: str | None = None) -> dict[str, bytes]:
    part, content_type = MAIN_PARTS[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type or content_type}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="' + part + '" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )
    return {"[Content_Types].xml": types.encode(), "_rels/.rels": rels.encode(), part: b"<x/>"}


def make_zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return out.getvalue()


def make_office(kind: str, extra: dict[str, bytes] | None = None, **kwargs) -> bytes:
    return make_zip(office_members(kind, **kwargs) | (extra or {}))


# --- accepted files: kind, extension, content type, size and hash come from the content ----


@pytest.mark.parametrize(
    ("data", "kind", "extension", "content_type"),
    [
        (make_pdf(), FileKind.PDF, ".pdf", "application/pdf"),
        (make_image("JPEG"), FileKind.JPEG, ".jpg", "image/jpeg"),
        (make_image("PNG"), FileKind.PNG, ".png", "image/png"),
        (make_office("docx"), FileKind.DOCX, ".docx", f"{OOXML}.wordprocessingml.document"),
        (make_office("xlsx"), FileKind.XLSX, ".xlsx", f"{OOXML}.spreadsheetml.sheet"),
    ],
    ids=["pdf", "jpeg", "png", "docx", "xlsx"],
)
def test_valid_file_is_described_by_its_content(data, kind, extension, content_type):
    uploaded = SimpleUploadedFile("whatever.bin", data)

    inspected = inspect_upload(uploaded, ANY_KIND, LIMIT)

    assert inspected == InspectedFile(
        kind=kind,
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    assert uploaded.tell() == 0


def test_png_named_pdf_is_a_png():
    png = make_image("PNG")
    uploaded = SimpleUploadedFile("x.pdf", png, content_type="application/pdf")

    inspected = inspect_upload(uploaded, SCANS, LIMIT)

    assert (inspected.kind, inspected.extension, inspected.content_type) == (
        FileKind.PNG,
        ".png",
        "image/png",
    )


def test_plain_file_object_without_size_is_measured():
    pdf = make_pdf()
    stream = io.BytesIO(pdf)
    stream.seek(5)

    inspected = inspect_upload(stream, [FileKind.PDF], LIMIT)

    assert (inspected.size, inspected.sha256) == (len(pdf), hashlib.sha256(pdf).hexdigest())
    assert stream.tell() == 0


def test_allowed_kinds_may_be_any_iterable():
    assert accepted_kind(make_pdf(), allowed=(k for k in [FileKind.PDF])) == FileKind.PDF


# --- size ----------------------------------------------------------------------------------


def test_empty_file_is_refused():
    assert refusal(b"").code == "empty"


def test_file_exactly_at_the_limit_is_accepted():
    png = make_image("PNG")
    assert accepted_kind(png, max_bytes=len(png)) == FileKind.PNG


def test_file_one_byte_over_the_limit_is_refused():
    png = make_image("PNG")
    assert refusal(png, max_bytes=len(png) - 1).code == "too_large"


def test_too_large_gives_limit_and_size_in_mb():
    error = refusal(bytes(int(1.5 * MB)), max_bytes=1 * MB)
    assert (error.code, error.params) == ("too_large", {"limit": "1", "size": "1.5"})


def test_too_large_rounds_the_size_up_and_the_limit_down():
    error = refusal(bytes(10_000_001), max_bytes=10_000_000)
    assert error.params == {"limit": "9.5", "size": "9.6"}


class Unreadable(io.BytesIO):
    def read(self, *args):
        raise AssertionError("content read despite the declared size")


def test_declared_size_is_checked_before_reading():
    uploaded = Unreadable()
    uploaded.size = int(23.4 * MB)

    with pytest.raises(ValidationError) as info:
        inspect_upload(uploaded, ANY_KIND, LIMIT)

    assert (info.value.code, info.value.params) == ("too_large", {"limit": "20", "size": "23.4"})


def test_under_declared_size_is_not_trusted():
    uploaded = SimpleUploadedFile("small.png", make_image("PNG") + bytes(100))
    uploaded.size = 10

    with pytest.raises(ValidationError) as info:
        inspect_upload(uploaded, ANY_KIND, 100)

    assert info.value.code == "too_large"


# --- type ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "申报书正文，纯文本。".encode(),
        b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200),  # Windows executable header
        b"\x7fELF" + bytes(200),
        make_zip({"readme.txt": b"just a zip"}),
        make_zip(office_members("docx") | {"xl/workbook.xml": b"<x/>"}),
    ],
    ids=["text", "exe", "elf", "plain-zip", "docx-and-xlsx-at-once"],
)
def test_unrecognised_content_is_unknown_type(data):
    error = refusal(data, allowed=SCANS)
    assert (error.code, error.params) == ("unknown_type", {"allowed": "PDF、JPG、PNG"})


def test_kind_outside_allowed_is_refused_and_named():
    error = refusal(make_office("docx"), allowed={FileKind.PNG, FileKind.PDF, FileKind.JPEG})
    assert error.code == "type_not_allowed"
    assert error.params == {"allowed": "PDF、JPG、PNG", "actual": "DOCX"}


# --- PDF -----------------------------------------------------------------------------------


def test_truncated_pdf_is_refused():
    pdf = make_pdf()
    assert refusal(pdf[: len(pdf) // 2]).code == "pdf_malformed"


def test_pdf_header_followed_by_garbage_is_refused():
    assert refusal(b"%PDF-1.7\n" + bytes(range(256)) * 40).code == "pdf_malformed"


def test_pdf_with_broken_cross_reference_table_is_refused():
    # Lenient parsers "repair" this, each in its own way; strict reading refuses to guess.
    pdf = hand_built_pdf()
    xref = pdf.index(b"xref")
    pdf = pdf.replace(b"startxref\n%d" % xref, b"startxref\n%d" % (xref + 3))
    assert refusal(pdf).code == "pdf_malformed"


def test_pdf_without_pages_is_refused():
    assert refusal(make_pdf(pages=0)).code == "pdf_malformed"


def test_pdf_encrypted_with_empty_user_password_is_refused():
    assert refusal(make_pdf(lambda w: w.encrypt("", "owner"))).code == "pdf_encrypted"


def test_pdf_encrypted_with_password_is_refused():
    assert refusal(make_pdf(lambda w: w.encrypt("secret"))).code == "pdf_encrypted"


def test_pdf_with_aes_256_encryption_is_refused():
    # Acrobat's default; pypdf cannot even check the empty password without a crypto package.
    aes_256 = (
        b"/Encrypt << /Filter /Standard /V 5 /R 6 /Length 256 /P -4 "
        b"/O <%s> /U <%s> /OE <%s> /UE <%s> /Perms <%s> /StmF /StdCF /StrF /StdCF "
        b"/CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> >>"
    ) % (b"00" * 48, b"00" * 48, b"00" * 32, b"00" * 32, b"00" * 16)
    assert refusal(hand_built_pdf(trailer_extra=aes_256)).code == "pdf_encrypted"


def test_pdf_with_javascript_is_refused():
    pdf = make_pdf(lambda w: w.add_open_action(JavaScript("app.alert('x');")))
    assert refusal(pdf).code == "pdf_active_content"


def test_pdf_with_open_action_javascript_is_refused():
    def open_action(writer):
        writer.root_object[name("/OpenAction")] = DictionaryObject(
            {name("/S"): name("/JavaScript"), name("/JS"): TextStringObject("app.alert(1)")}
        )

    assert refusal(make_pdf(open_action)).code == "pdf_active_content"


def test_pdf_with_page_additional_action_is_refused():
    pdf = make_pdf(lambda w: w.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.beep()")))
    assert refusal(pdf).code == "pdf_active_content"


def test_pdf_with_launch_link_is_refused():
    launch = DictionaryObject({name("/S"): name("/Launch"), name("/F"): TextStringObject("cmd")})
    annotation = DictionaryObject(
        {name("/Type"): name("/Annot"), name("/Subtype"): name("/Link"), name("/Rect"): rect()}
        | {name("/A"): launch}
    )
    pdf = make_pdf(lambda w: w.add_annotation(0, annotation))
    assert refusal(pdf).code == "pdf_active_content"


def test_pdf_with_embedded_file_is_refused():
    pdf = make_pdf(lambda w: w.add_attachment("payload.exe", b"MZ\x90\x00"))
    assert refusal(pdf).code == "pdf_active_content"


def test_pdf_with_rich_media_is_refused():
    annotation = DictionaryObject(
        {name("/Type"): name("/Annot"), name("/Subtype"): name("/RichMedia"), name("/Rect"): rect()}
    )
    pdf = make_pdf(lambda w: w.add_annotation(0, annotation))
    assert refusal(pdf).code == "pdf_active_content"


def test_pdf_with_xfa_form_is_refused():
    def xfa(writer):
        writer.root_object[name("/AcroForm")] = DictionaryObject(
            {name("/Fields"): ArrayObject(), name("/XFA"): TextStringObject("<xdp:xdp/>")}
        )

    assert refusal(make_pdf(xfa)).code == "pdf_active_content"


def test_pdf_with_hex_escaped_javascript_names_is_refused():
    # /J#61vaScript and /J#53 are /JavaScript and /JS: only the parsed object graph shows them.
    pdf = hand_built_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>")
    assert b"/JS" not in pdf and b"/JavaScript" not in pdf
    assert refusal(pdf).code == "pdf_active_content"


def test_pdf_with_unreferenced_javascript_object_is_refused():
    pdf = hand_built_pdf(extra_objects=(b"<< /S /JavaScript /JS (app.alert(1)) >>",))
    assert refusal(pdf).code == "pdf_active_content"


def test_pdf_with_reference_cycle_is_accepted():
    pdf = hand_built_pdf(b"/Loop 4 0 R", extra_objects=(b"<< /Next 4 0 R /Items [4 0 R] >>",))
    assert accepted_kind(pdf) == FileKind.PDF


def test_pdf_with_plain_web_link_is_accepted():
    link = Link(rect=(10, 10, 100, 100), url="https://www.jiangsu.gov.cn/")
    assert accepted_kind(make_pdf(lambda w: w.add_annotation(0, link))) == FileKind.PDF


# --- images --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_image_is_refused(fmt):
    data = make_image(fmt, size=(200, 200))
    assert refusal(data[: len(data) // 2]).code == "image_malformed"


def test_png_with_bad_checksum_is_refused():
    png = bytearray(make_image("PNG"))
    png[png.rfind(b"IEND") - 8] ^= 0xFF  # the last IDAT's CRC: pixels still decode
    assert refusal(bytes(png)).code == "image_malformed"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    ("width", "height"),
    [(10_000, 10_000), (20_000, 20_000)],
    ids=["over-pillow-warning-limit", "over-pillow-error-limit"],
)
def test_image_decompression_bomb_is_refused(width, height):
    error = refusal(png_header(width, height))
    assert error.code == "image_malformed"
    assert isinstance(error.__cause__, Image.DecompressionBombError)


# --- Office --------------------------------------------------------------------------------


def test_broken_zip_is_refused():
    docx = make_office("docx")
    assert refusal(docx[: len(docx) // 2]).code == "office_malformed"


@pytest.mark.parametrize("content", [b"<Types", b"<body/>"], ids=["content-types", "document"])
def test_office_with_corrupt_member_is_refused(content):
    members = office_members("docx") | {"word/document.xml": b"<body/>"}
    docx = make_zip(members, compression=zipfile.ZIP_STORED)  # stored: the bytes appear as is
    damaged = docx.replace(content, content.upper(), 1)
    assert damaged != docx
    assert refusal(damaged).code == "office_malformed"


@pytest.mark.parametrize(
    "member", ["../evil", "word/../../evil", "/etc/cron.d/evil", "..\\evil", "C:/evil"]
)
def test_office_with_unsafe_member_path_is_refused(member):
    assert refusal(make_office("docx", {member: b"x"})).code == "office_malformed"


def test_office_zip_bomb_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in office_members("docx").items():
            zf.writestr(member, data)
        with zf.open("word/media/zeros.bin", "w") as bomb:  # streamed: 1 MB in memory at a time
            zeros = bytes(MB)
            for _ in range(300):
                bomb.write(zeros)
    docx = out.getvalue()
    assert len(docx) < MB

    assert refusal(docx).code == "office_malformed"


def test_office_uncompressed_limit_scales_with_max_bytes():
    docx = make_office("docx", {"word/media/zeros.bin": bytes(300_000)})
    assert len(docx) < 10_000
    assert refusal(docx, max_bytes=10_000).code == "office_malformed"
    assert accepted_kind(docx, max_bytes=20_000) == FileKind.DOCX


def test_xlsx_with_vba_project_is_refused():
    xlsx = make_office("xlsx", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert refusal(xlsx).code == "office_macros"


def test_docx_with_vba_part_is_refused():
    docx = make_office("docx", {"word/vbaData.xml": b"<x/>"})
    assert refusal(docx).code == "office_macros"


def test_macro_enabled_content_type_is_refused():
    docm = make_office("docx", main_type="application/vnd.ms-word.document.macroEnabled.main+xml")
    assert refusal(docm).code == "office_macros"


def test_excel_macro_sheet_is_refused():
    xlsx = make_office("xlsx", {"xl/macrosheets/sheet1.xml": b"<x/>"})
    assert refusal(xlsx).code == "office_macros"
