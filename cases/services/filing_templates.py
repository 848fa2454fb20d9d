"""An agency's own filing templates: upload (checked), and revert to the shipped one.

Only administrators change templates. An upload is refused, naming the culprit, when
it is not a .docx docxtpl can read or when it uses a placeholder the filing's context
does not provide (cases/filings/context.py, PLACEHOLDERS) -- such a template would
otherwise render blanks into a court filing without anyone noticing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices.defence import FilingCode
from cases.filings.context import PLACEHOLDERS
from cases.filings.render import TemplateUnreadable, placeholders_of
from cases.models import Agency, FilingTemplate
from cases.permissions import is_admin
from cases.services.common import save_with_history
from cases.uploads import TEMPLATE_TYPES, validate_upload
from cases.users import SYSTEM, Actor, SystemActor, acting_user

__all__ = ["filing_template_revert", "filing_template_upload"]


def _ensure_admin(by: Actor) -> None:
    if by is SYSTEM:
        return
    if by is None or isinstance(by, SystemActor) or not is_admin(by):
        raise PermissionDenied(_("只有管理员可以更换文书模板。"))


def _check_code(code: str) -> FilingCode:
    if code not in FilingCode.values:
        raise ValidationError({"code": _("没有这份文书:%(c)s。") % {"c": code}})
    return FilingCode(code)


def _check_template(code: FilingCode, file: UploadedFile[bytes] | None) -> None:
    if not file:
        raise ValidationError({"file": _("请选择要上传的模板文件(.docx)。")})
    try:
        validate_upload(file, allowed=TEMPLATE_TYPES)  # the shared size limit and content sniffing
    except ValidationError as refused:
        raise ValidationError({"file": refused.messages}) from None
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        names = placeholders_of(data)
    except TemplateUnreadable as error:
        raise ValidationError({"file": _("无法读取该模板(须为 .docx 文件,占位符须符合模板语法):%(e)s") % {"e": error}}) from None
    unknown = sorted(names - PLACEHOLDERS[code])
    if unknown:
        shown = "、".join(f"{{{{ {name} }}}}" for name in unknown)
        raise ValidationError({"file": _("模板中有未知的占位符:%(names)s。") % {"names": shown}})


@transaction.atomic
def filing_template_upload(*, agency: Agency, code: str, file: UploadedFile[bytes] | None, by: Actor) -> FilingTemplate:
    """Make ``file`` the agency's template for ``code``; the one it replaces is archived, not deleted."""
    _ensure_admin(by)
    filing = _check_code(code)
    _check_template(filing, file)
    _archive_active(agency, filing, by=by, reason=_("被新上传的模板替换"))
    template = FilingTemplate(agency=agency, code=filing, file=file,
                              uploaded_by=acting_user(by))
    save_with_history(template, by=by, reason=_("上传自定义模板"))
    return template


@transaction.atomic
def filing_template_revert(*, agency: Agency, code: str, by: Actor) -> None:
    """Go back to the shipped template; the custom one is kept, archived."""
    _ensure_admin(by)
    filing = _check_code(code)
    if not _archive_active(agency, filing, by=by, reason=_("恢复为系统模板")):
        raise ValidationError({"code": _("该文书正在使用系统模板。")})


def _archive_active(agency: Agency, code: FilingCode, *, by: Actor, reason: str) -> bool:
    current = FilingTemplate.objects.select_for_update().active().filter(agency=agency, code=code).first()
    if current is None:
        return False
    current.archived_at = timezone.now()
    save_with_history(current, by=by, reason=reason, update_fields=["archived_at"])
    return True
