"""Every upload passes cases/uploads.py: a size limit and a type allowlist read from the content."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from cases.uploads import DOCUMENT_TYPES, IMPORT_TYPES, TEMPLATE_TYPES, validate_upload
from tests import sample_files as f


@pytest.mark.parametrize(("name", "content"), [
    ("判决书.pdf", f.PDF),
    ("scan.PNG", f.PNG),
    ("photo.jpg", f.JPEG),
    ("答辩状.doc", f.OLE2),
    ("证据目录.wps", f.OLE2),
    ("答辩状.docx", f.docx()),
    ("清单.xlsx", f.xlsx()),
    ("电子判决书.ofd", f.ofd()),
])
def test_it_accepts_pdf_images_office_and_ofd_as_case_documents(name, content):
    validate_upload(f.upload(name, content), allowed=DOCUMENT_TYPES)


@pytest.mark.parametrize(("name", "content"), [
    ("setup.exe", f.WINDOWS_PROGRAM),
    ("judgment.pdf", f.WINDOWS_PROGRAM),  # renamed program: the content says what it is
    ("judgment.exe", f.PDF),  # a PDF under a name that is not on the list
    ("notes.txt", "起诉状".encode()),
    ("archive.zip", f.plain_zip()),
    ("fake.docx", f.plain_zip()),
    ("table.xlsx", f.docx()),  # a Word file dressed as a workbook
    ("noextension", f.PDF),
])
def test_it_refuses_anything_else_naming_the_allowed_types(name, content):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(f.upload(name, content), allowed=DOCUMENT_TYPES)
    assert excinfo.value.code == "file_type"
    message = excinfo.value.messages[0]
    assert message.startswith("不支持该文件类型,只能上传:PDF、图片")
    assert "OFD" in message and "DOCX" in message


def test_it_accepts_only_xlsx_for_imports():
    validate_upload(f.upload("cases.xlsx", f.xlsx()), allowed=IMPORT_TYPES)
    with pytest.raises(ValidationError, match=re.escape("只能上传:Excel 表格(XLSX)。")):
        validate_upload(f.pdf(), allowed=IMPORT_TYPES)


def test_it_accepts_only_docx_for_templates():
    validate_upload(f.upload("template.docx", f.docx()), allowed=TEMPLATE_TYPES)
    with pytest.raises(ValidationError, match=re.escape("只能上传:Word 文档(DOCX)。")):
        validate_upload(f.upload("template.xlsx", f.xlsx()), allowed=TEMPLATE_TYPES)


def test_it_refuses_a_file_over_the_configured_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    validate_upload(f.upload("big.pdf", f.PDF + b" " * (1024 * 1024 - len(f.PDF))))
    with pytest.raises(ValidationError, match="文件不能超过 1 MB。") as excinfo:
        validate_upload(f.upload("big.pdf", f.PDF + b" " * (1024 * 1024)))
    assert excinfo.value.code == "file_too_large"


def test_the_default_limit_is_twenty_megabytes():
    from django.conf import settings

    assert settings.UPLOAD_MAX_BYTES == 20 * 1024 * 1024


def test_it_leaves_the_file_at_its_start_for_whoever_stores_it():
    upload = f.upload("a.docx", f.docx())
    validate_upload(upload)
    assert upload.read(2) == b"PK"
