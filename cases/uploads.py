"""The one check every upload passes: size limit and a type allowlist read from the content.

Call ``validate_upload(file, allowed=...)`` from the service that stores the file (case
documents, absence proofs, report templates, imports), never only from a form: the API,
the pages, the admin and the shell then all get the same refusal.

    validate_upload(file)                              # documents: PDF, images, Office, OFD
    validate_upload(file, allowed=IMPORT_TYPES)        # imports: XLSX only
    validate_upload(file, allowed=TEMPLATE_TYPES)      # templates: DOCX only

The content decides, the name must agree: a Windows program renamed ``judgment.pdf`` is
refused because it does not start like a PDF, and a PDF renamed ``judgment.exe`` because
``.exe`` is not on the list. Types are told apart by their magic numbers; the ZIP-based
formats (Office Open XML, OpenDocument, OFD) by the members of their central directory,
which zipfile reads without unpacking anything (no zip bomb is inflated here).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_HEAD_BYTES = 1024  # PDF readers accept "%PDF-" anywhere in the first 1024 bytes


@dataclass(frozen=True)
class FileType:
    """One allowed type: how it is named to people, its extensions, and its content test's key."""

    code: str
    label: Any  # a lazy translation
    extensions: tuple[str, ...]


PDF = FileType("pdf", gettext_lazy("PDF"), (".pdf",))
IMAGE = FileType(
    "image", gettext_lazy("图片(JPG、PNG、GIF、BMP、TIFF、WEBP、HEIC)"),
    (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".heif"),
)
# Legacy binary Office (and WPS Office's own formats, which share the OLE2 container).
OFFICE_LEGACY = FileType(
    "office_legacy", gettext_lazy("Office 97-2003 / WPS 文档(DOC、XLS、PPT、WPS、ET、DPS)"),
    (".doc", ".xls", ".ppt", ".wps", ".et", ".dps"),
)
DOCX = FileType("docx", gettext_lazy("Word 文档(DOCX)"), (".docx",))
XLSX = FileType("xlsx", gettext_lazy("Excel 表格(XLSX)"), (".xlsx",))
PPTX = FileType("pptx", gettext_lazy("PowerPoint 演示文稿(PPTX)"), (".pptx",))
OPENDOCUMENT = FileType("odf", gettext_lazy("OpenDocument 文档(ODT、ODS、ODP)"), (".odt", ".ods", ".odp"))
OFD = FileType("ofd", gettext_lazy("OFD 版式文件"), (".ofd",))

DOCUMENT_TYPES: tuple[FileType, ...] = (PDF, IMAGE, OFFICE_LEGACY, DOCX, XLSX, PPTX, OPENDOCUMENT, OFD)
IMPORT_TYPES: tuple[FileType, ...] = (XLSX,)
TEMPLATE_TYPES: tuple[FileType, ...] = (DOCX,)

_IMAGE_MAGIC = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"heif"}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def max_upload_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def allowed_list(allowed: Sequence[FileType]) -> str:
    """The allowed types as people read them, e.g. "PDF、图片(JPG、PNG…)、OFD 版式文件"."""
    return _("、").join(str(kind.label) for kind in allowed)


def accept_attribute(allowed: Sequence[FileType]) -> str:
    """The extensions for a file input's ``accept``, so the browser's chooser offers only these."""
    return ",".join(extension for kind in allowed for extension in kind.extensions)


def _is_image(head: bytes) -> bool:
    if head.startswith(_IMAGE_MAGIC):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    return head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def _zip_type(file: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        return None
    if "OFD.xml" in names:
        return OFD
    if mimetype.startswith(b"application/vnd.oasis.opendocument."):
        return OPENDOCUMENT
    if "[Content_Types].xml" in names:
        for prefix, kind in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
            if any(name.startswith(prefix) for name in names):
                return kind
    return None


def sniff_type(file: IO[bytes]) -> FileType | None:
    """The type the content says the file is, or None for anything not on any list."""
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    kind: FileType | None = None
    if b"%PDF-" in head:
        kind = PDF
    elif _is_image(head):
        kind = IMAGE
    elif head.startswith(_OLE2_MAGIC):
        kind = OFFICE_LEGACY
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_type(file)
    file.seek(0)
    return kind


def _extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower()
    return "." + base.rsplit(".", 1)[-1] if "." in base else ""


def validate_upload(file: Any, *, allowed: Sequence[FileType] = DOCUMENT_TYPES) -> FileType:
    """Refuse a file over UPLOAD_MAX_BYTES or not of an allowed type; return its type.

    Raises django.core.exceptions.ValidationError whose message names the limit or the
    allowed types (code ``file_too_large`` / ``file_type``). The file is left at offset 0.
    """
    limit = max_upload_bytes()
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("文件不能超过 %(mb)s MB。") % {"mb": _megabytes(limit)}, code="file_too_large"
        )
    kind = sniff_type(file)
    extension = _extension(getattr(file, "name", "") or "")
    if kind is None or kind not in allowed or extension not in kind.extensions:
        raise ValidationError(
            _("不支持该文件类型,只能上传:%(types)s。") % {"types": allowed_list(allowed)}, code="file_type"
        )
    return kind


def _megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    return f"{mb:g}" if mb == int(mb) else f"{mb:.1f}"
