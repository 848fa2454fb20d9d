"""Templates an office can change: the shipped ones are in step, an upload is checked, a revert goes back."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.choices.defence import FilingCode
from cases.filings import layout, shipped
from cases.filings.context import PLACEHOLDERS, FilingOptions, filing_context
from cases.filings.render import filing_render, placeholders_of
from cases.models import FilingTemplate
from cases.services.filing_templates import filing_template_revert, filing_template_upload
from tests.defence.docx_checks import all_text, open_docx

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def _template(*lines: str) -> SimpleUploadedFile:
    doc = layout.apply_layout(shipped.Document())
    layout.title(doc, "本局答辩状")
    for line in lines:
        layout.body(doc, line)
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile("ours.docx", out.getvalue(), content_type=DOCX)


@pytest.mark.parametrize("code", FilingCode.values)
def test_the_committed_template_is_what_the_builder_makes(code):
    built = io.BytesIO()
    shipped.BUILDERS[code]().save(built)

    assert _document_xml(shipped.path_of(code).read_bytes()) == _document_xml(built.getvalue()), (
        "run manage.py build_filing_templates")


@pytest.mark.parametrize("code", FilingCode.values)
def test_the_shipped_template_uses_only_names_its_context_provides(code):
    assert placeholders_of(shipped.path_of(code).read_bytes()) <= PLACEHOLDERS[code]


def test_the_context_provides_every_common_name(lawsuit):
    assert set(filing_context(lawsuit, FilingCode.EVIDENCE_LIST, FilingOptions())) == PLACEHOLDERS[FilingCode.EVIDENCE_LIST]


def test_it_renders_the_agencys_own_template_until_it_reverts(lawsuit, agency, admin_user):
    filing_template_upload(agency=agency, code=FilingCode.DEFENCE, by=admin_user,
                           file=_template("本局自拟:{{ applicant }}诉{{ agency_name }},案号{{ case_number }}"))

    custom = all_text(open_docx(filing_render(case=lawsuit, code=FilingCode.DEFENCE)))
    assert "本局自拟:张三诉梧州市人力资源和社会保障局,案号(2021)桂0403行初12号" in custom

    filing_template_revert(agency=agency, code=FilingCode.DEFENCE, by=admin_user)

    reverted = all_text(open_docx(filing_render(case=lawsuit, code=FilingCode.DEFENCE)))
    assert "本局自拟" not in reverted and "一、答辩请求" in reverted
    assert FilingTemplate.objects.filter(agency=agency).get().archived_at is not None


def test_it_refuses_a_template_with_an_unknown_placeholder_and_names_it(agency, admin_user):
    with pytest.raises(ValidationError) as error:
        filing_template_upload(agency=agency, code=FilingCode.DEFENCE, by=admin_user,
                               file=_template("{{ applicant }} {{ plaintiff_address }}"))

    assert "{{ plaintiff_address }}" in error.value.message_dict["file"][0]
    assert not FilingTemplate.objects.exists()


def test_it_refuses_a_file_that_is_not_a_docx(agency, admin_user):
    with pytest.raises(ValidationError) as error:
        filing_template_upload(agency=agency, code=FilingCode.DEFENCE, by=admin_user,
                               file=SimpleUploadedFile("x.docx", b"not a zip", content_type=DOCX))

    assert "file" in error.value.message_dict


def test_it_lets_only_an_administrator_change_templates(agency, staff):
    with pytest.raises(PermissionDenied):
        filing_template_upload(agency=agency, code=FilingCode.DEFENCE, by=staff, file=_template("{{ applicant }}"))


def test_a_template_cannot_reach_python_internals(lawsuit, agency, admin_user):
    filing_template_upload(agency=agency, code=FilingCode.EVIDENCE_LIST, by=admin_user,
                           file=_template("{{ applicant.__class__.__mro__ }}"))

    with pytest.raises(ValidationError) as error:
        filing_render(case=lawsuit, code=FilingCode.EVIDENCE_LIST)

    assert "请管理员检查模板" in error.value.message_dict["template"][0]
