"""Decide an uploaded file's type by its content, never by its name, and refuse dangerous files.

The kind comes from magic bytes (for Office files, from the ZIP's members); each kind is then
opened with a real parser, so broken, encrypted, scripted or bomb-like files never get stored.
"""

import hashlib
import io
import logging
import math
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import DependencyError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from . import antivirus

logger = logging.getLogger(__name__)

MB = 1024 * 1024
_CHUNK = 64 * 1024
_OFFICE_MAX_UNCOMPRESSED = 200 * MB
_OFFICE_MAX_RATIO = 20
_PDF_MAX_NODES = 1_000_000


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPG"
    PNG = "png", "PNG"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self]

    @property
    def extension(self) -> str:
        return ".jpg" if self is FileKind.JPEG else f".{self.value}"


_OOXML = "application/vnd.openxmlformats-officedocument"
_CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.DOCX: f"{_OOXML}.wordprocessingml.document",
    FileKind.XLSX: f"{_OOXML}.spreadsheetml.sheet",
}

# The codes are stable (callers and tests rely on them); the messages are shown to the user.
_MESSAGES = {
    "empty": _("文件是空的（0 字节），请重新选择文件。"),
    "too_large": _("文件过大：上限为 %(limit)s MB，本文件为 %(size)s MB。"),
    "unknown_type": _("无法识别文件类型：此类附件只接受 %(allowed)s 文件。"),
    "type_not_allowed": _("此类附件只接受 %(allowed)s 文件，上传的文件实际为 %(actual)s。"),
    "pdf_malformed": _("PDF 文件已损坏或格式不规范，无法读取。请重新导出 PDF 后再上传。"),
    "pdf_encrypted": _("PDF 文件设置了密码或加密保护，请先移除密码后再上传。"),
    "pdf_active_content": _(
        "PDF 文件含有脚本、自动执行的操作或内嵌文件，出于安全考虑不予接收。"
        "请使用“打印为 PDF”另存一份后再上传。"
    ),
    "image_malformed": _("图片文件已损坏或无法读取，请重新保存后再上传。"),
    "office_malformed": _("Word/Excel 文件已损坏或结构异常，无法安全读取。请重新保存后再上传。"),
    "office_macros": _(
        "文件包含宏（VBA 等），出于安全考虑不予接收。请另存为不含宏的文件后再上传。"
    ),
}
_VIRUS = _(
    "病毒扫描发现文件含有恶意代码（%(signature)s），不予接收。"
    "请用杀毒软件检查您的电脑后重新导出文件；如确认无害，请联系技术支持。"
)
_SCANNER_DOWN = _(
    "病毒扫描服务暂时不可用，为安全起见文件未能上传。请稍后重试；如持续出现，请联系技术支持。"
)
_IMAGE_BOMB = _("图片分辨率过大，疑似恶意构造的文件，请缩小尺寸后再上传。")
_OFFICE_BOMB = _("Word/Excel 文件解压后体积异常（疑似压缩炸弹），不予接收。")


@dataclass(frozen=True)
class InspectedFile:
    kind: FileKind
    content_type: str
    extension: str
    size: int
    sha256: str


def inspect_upload(
    uploaded: UploadedFile | IO[bytes], allowed: Iterable[FileKind], max_bytes: int
) -> InspectedFile:
    """Identify and vet an upload; raise ValidationError (with a stable code) if it is refused.

    The file is left positioned at 0 whether it is accepted or not.
    """
    allowed_kinds = set(allowed)
    labels = "、".join(kind.label for kind in FileKind if kind in allowed_kinds)
    try:
        _check_size(_declared_size(uploaded), max_bytes)
        size, sha256 = _digest(uploaded, max_bytes)
        _check_size(size, max_bytes)  # the declared size is only a hint
        _check_viruses(uploaded, size, sha256)  # before any parser reads the bytes
        kind = _sniff(uploaded)
        if kind is None:
            raise _refuse("unknown_type", allowed=labels)
        if kind not in allowed_kinds:
            raise _refuse("type_not_allowed", allowed=labels, actual=kind.label)
        if kind is FileKind.PDF:
            _check_pdf(uploaded)
        elif kind in (FileKind.JPEG, FileKind.PNG):
            _check_image(uploaded, kind)
        else:
            _check_office(uploaded, max_bytes)
    finally:
        uploaded.seek(0)
    return InspectedFile(kind, kind.content_type, kind.extension, size, sha256)


def _refuse(code: str, message=None, **params) -> ValidationError:
    message = _MESSAGES[code] if message is None else message
    return ValidationError(message, code=code, params=params or None)


def _declared_size(f) -> int:
    size = getattr(f, "size", None)
    if size is None:
        f.seek(0, os.SEEK_END)
        size = f.tell()
    return size


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise _refuse("empty")
    if size > max_bytes:
        limit, actual = _megabytes(max_bytes, math.floor), _megabytes(size, math.ceil)
        raise _refuse("too_large", limit=limit, size=actual)


def _megabytes(n: int, rounding) -> str:
    # The limit rounds down and the size up, so a file over the limit never reads as within it.
    return f"{rounding(n * 10 / MB) / 10:g}"


def _digest(f, max_bytes: int) -> tuple[int, str]:
    """Hash in chunks, reading at most one byte past the limit."""
    f.seek(0)
    sha, size = hashlib.sha256(), 0
    while size <= max_bytes and (chunk := f.read(min(_CHUNK, max_bytes + 1 - size))):
        sha.update(chunk)
        size += len(chunk)
    return size, sha.hexdigest()


def check_viruses(f) -> None:
    """The virus scan alone, for files whose kind is not restricted (the office's call
    materials in the admin); raises ValidationError like inspect_upload."""
    size, sha256 = _digest(f, _declared_size(f))
    try:
        _check_viruses(f, size, sha256)
    finally:
        f.seek(0)


def _check_viruses(f, size: int, sha256: str) -> None:
    """Ask clamd when one is configured; refuse what it finds and, fail closed, when it
    cannot be asked. A find is a security event: it goes to the audit trail."""
    if not antivirus.configured():
        return
    try:
        verdict = antivirus.scan(f)
    except antivirus.ScannerUnavailable as exc:
        logger.error("upload refused, virus scanner unavailable: %s", exc)
        raise _refuse("scanner_unavailable", _SCANNER_DOWN) from exc
    if verdict.clean:
        return
    from keyprojects.audit import chain
    from keyprojects.audit.context import current_user
    from keyprojects.audit.domain import event
    from keyprojects.audit.models import Event

    name = safe_original_name(getattr(f, "name", None), "")
    chain.append(
        [
            event(
                "upload",
                sha256,
                "virus_found",
                actor=current_user(),
                data={"signature": verdict.signature, "name": name, "size": size},
                outcome=Event.Outcome.DENIED,
            )
        ]
    )
    logger.warning("upload %s (%s) refused: %s", name, sha256, verdict.signature)
    raise _refuse("virus", _VIRUS, signature=verdict.signature)


def _sniff(f) -> FileKind | None:
    f.seek(0)
    head = f.read(8)
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head.startswith(b"PK\x03\x04"):
        # An unreadable ZIP is refused as a damaged Office file: that is what users upload.
        with _open_zip(f) as zf:
            names = set(zf.namelist())
        is_docx, is_xlsx = "word/document.xml" in names, "xl/workbook.xml" in names
        if "[Content_Types].xml" in names and is_docx != is_xlsx:
            return FileKind.DOCX if is_docx else FileKind.XLSX
    return None


# Names that make a viewer run code or open other files, or that carry files of their own.
_PDF_CODE_NAMES = {"/JS", "/JavaScript", "/Launch", "/RichMedia", "/XFA"}
_PDF_FILE_NAMES = {"/EmbeddedFile", "/EmbeddedFiles", "/FileAttachment"}
_PDF_ACTIVE_NAMES = frozenset(_PDF_CODE_NAMES | _PDF_FILE_NAMES)
# Only references, containers and names can lead to or be an active name.
_PDF_WALKED = (IndirectObject, DictionaryObject, ArrayObject, NameObject)
# Extra net for script names in objects the parser never reaches (e.g. unreferenced ones).
_PDF_RAW_SCRIPT = re.compile(rb"/(?:JS|JavaScript)(?=[\s()<>\[\]{}/%])")


def _check_pdf(f) -> None:
    f.seek(0)
    try:
        reader = PdfReader(f, strict=True)
    except DependencyError as exc:  # pypdf needs a crypto backend only for AES encryption
        raise _refuse("pdf_encrypted") from exc
    except Exception as exc:  # hostile input can make pypdf raise almost anything
        raise _refuse("pdf_malformed") from exc
    if reader.is_encrypted:
        raise _refuse("pdf_encrypted")
    try:
        page_count = len(reader.pages)
        active = _has_active_name(reader.trailer)
    except Exception as exc:
        raise _refuse("pdf_malformed") from exc
    if page_count == 0:
        raise _refuse("pdf_malformed")
    if active or _has_raw_script(f):
        raise _refuse("pdf_active_content")


def _has_active_name(trailer: DictionaryObject) -> bool:
    """Walk every object reachable from the trailer, resolving each indirect object once."""
    stack: list = [trailer]
    seen: set[tuple[int, int]] = set()
    budget = _PDF_MAX_NODES
    while stack:
        budget -= 1
        if budget < 0:
            raise PdfReadError("object graph too large to check")
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        if isinstance(node, NameObject) and node in _PDF_ACTIVE_NAMES:
            return True
        if isinstance(node, DictionaryObject):  # streams too, through their dictionaries
            if not _PDF_ACTIVE_NAMES.isdisjoint(node.keys()):
                return True
            stack.extend(v for v in node.values() if isinstance(v, _PDF_WALKED))
        elif isinstance(node, ArrayObject):
            stack.extend(v for v in node if isinstance(v, _PDF_WALKED))
    return False


def _has_raw_script(f) -> bool:
    f.seek(0)
    tail = b""
    while chunk := f.read(_CHUNK):
        window = tail + chunk
        if _PDF_RAW_SCRIPT.search(window):
            return True
        tail = window[-16:]  # longer than any marker, so none is missed across chunks
    return False


def _check_image(f, kind: FileKind) -> None:
    formats = [kind.name]  # Pillow's format names are JPEG and PNG, like ours
    try:
        f.seek(0)
        with Image.open(f, formats=formats) as image:
            # Pillow only warns below twice its limit, and warning filters are process-global
            # (not thread-safe), so apply the warning's limit here as an error.
            limit = Image.MAX_IMAGE_PIXELS
            if limit and image.width * image.height > limit:
                raise Image.DecompressionBombError(f"{image.size} exceeds {limit} pixels")
            image.verify()  # structure and checksums, without decoding
        f.seek(0)
        with Image.open(f, formats=formats) as image:
            image.load()  # decodes every pixel: catches truncation that verify() misses
        # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which makes load()
        # accept a cut-off JPEG; its end-of-image marker must be there all the same.
        if kind is FileKind.JPEG and not _ends_with(f, b"\xff\xd9"):
            raise ValueError("JPEG without end-of-image marker")
    except Image.DecompressionBombError as exc:
        raise _refuse("image_malformed", _IMAGE_BOMB) from exc
    except Exception as exc:  # hostile input can make Pillow raise almost anything
        raise _refuse("image_malformed") from exc


def _ends_with(f, marker: bytes) -> bool:
    f.seek(0, io.SEEK_END)
    f.seek(max(0, f.tell() - 4096))
    return f.read().rstrip(b"\0").endswith(marker)


_MACRO_PART = re.compile(r"(^|/)vba[^/]*$|(^|/)macrosheets/", re.IGNORECASE)
_MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject|vbaData|macrosheet", re.IGNORECASE)


def _open_zip(f) -> zipfile.ZipFile:
    f.seek(0)
    try:
        return zipfile.ZipFile(f)
    except Exception as exc:
        raise _refuse("office_malformed") from exc


def _check_office(f, max_bytes: int) -> None:
    with _open_zip(f) as zf:
        members = zf.infolist()
        if any(_is_unsafe_path(m.filename) for m in members):
            raise _refuse("office_malformed")
        # zipfile never inflates a member past its declared size, so the sum bounds the work.
        limit = min(_OFFICE_MAX_RATIO * max_bytes, _OFFICE_MAX_UNCOMPRESSED)
        if sum(m.file_size for m in members) > limit:
            raise _refuse("office_malformed", _OFFICE_BOMB)
        try:
            content_types = zf.read("[Content_Types].xml")
            damaged = zf.testzip()  # inflates every member (bounded above) to check its CRC
        except Exception as exc:  # unsupported compression, encrypted member...
            raise _refuse("office_malformed") from exc
    if damaged:
        raise _refuse("office_malformed")
    has_macro_part = any(_MACRO_PART.search(m.filename) for m in members)
    if has_macro_part or _MACRO_CONTENT_TYPE.search(content_types):
        raise _refuse("office_macros")


def _is_unsafe_path(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(re.match(r"[A-Za-z]:", path)) or ".." in path.split("/")


def safe_original_name(name: str | None, default: str = "file") -> str:
    """The user's file name for display and downloads only: no path, bounded length."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or default
