"""Render a filing: the agency's own template when it has one, else the shipped one.

Templates are Jinja inside .docx (docxtpl). They come from administrators, so they
run in Jinja's sandbox: a template can read the context it is given and nothing
else (no attribute walk to Python internals). Autoescape keeps a "<" or "&" typed
into a case from breaking the document's XML.
"""

from __future__ import annotations

import io
from typing import Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from cases.choices.defence import FilingCode
from cases.filings import shipped
from cases.filings.context import FilingOptions, filing_context
from cases.models import Case, FilingTemplate

DOCX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class TemplateUnreadable(Exception):
    """The bytes are not a .docx docxtpl can read, or its Jinja does not parse."""


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True)


def template_bytes(case: Case, code: str) -> bytes:
    """The template the case's agency uses for ``code``."""
    custom = FilingTemplate.objects.active().filter(agency_id=case.agency_id, code=code).first()
    if custom is not None:
        with custom.file.open("rb") as handle:
            data: bytes = handle.read()
            return data
    return shipped.path_of(code).read_bytes()


def placeholders_of(data: bytes) -> set[str]:
    """The top-level names a template uses (loop variables and the like excluded)."""
    try:
        template = DocxTemplate(io.BytesIO(data))
        template.template_file = io.BytesIO(data)  # docxtpl reads the file again to analyse it
        return set(template.get_undeclared_template_variables(jinja_env=_environment()))
    except TemplateError as error:
        raise TemplateUnreadable(str(error)) from error
    except Exception as error:  # a zip or XML error of a file that is not a .docx
        raise TemplateUnreadable(type(error).__name__) from error


def filing_render(*, case: Case, code: str, options: FilingOptions | None = None) -> bytes:
    """The filing ``code`` of ``case`` as DOCX bytes (ValidationError when a fact it needs is missing)."""
    context = filing_context(case, FilingCode(code), options)
    template = DocxTemplate(io.BytesIO(template_bytes(case, code)))
    try:
        template.render(context, jinja_env=_environment(), autoescape=True)
    except TemplateError as error:  # an uploaded template's own mistake, e.g. a sandbox refusal
        raise ValidationError({"template": _("文书模板无法生成文书,请管理员检查模板:%(e)s") % {"e": error}}) from None
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def filing_filename(case: Case, code: str) -> str:
    label = FilingCode(code).label
    return f"{label}-{case.number}.docx".replace("/", "-")
