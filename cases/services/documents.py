"""Documents of a case (judgments, complaints, proof): upload and archive, never delete."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Document
from cases.services.common import ensure_can_write, require_reason, save_with_history
from cases.uploads import validate_upload
from cases.users import Actor, acting_user


@transaction.atomic
def document_upload(*, case: Case, title: str, file: UploadedFile[bytes] | None, by: Actor) -> Document:
    """Attach a file to a case; who uploaded it stays in the history."""
    ensure_can_write(by, case.agency_id)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写文书标题。")
    if not file:
        errors["file"] = _("请选择要上传的文件。")
    else:
        try:
            validate_upload(file)
        except ValidationError as refused:
            errors["file"] = refused.messages[0]
    if errors:
        raise ValidationError(errors)
    document = Document(case=case, title=title, file=file, uploaded_by=acting_user(by))
    save_with_history(document, by=by, reason=_("上传文书"))
    return document


@transaction.atomic
def document_archive(*, document: Document, by: Actor, reason: str) -> Document:
    """Take a document off the case page; the file and its history are kept."""
    ensure_can_write(by, document.case.agency_id)
    reason = require_reason(reason)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.archived_at is not None:
        raise ValidationError(_("该文书已归档。"))
    document.archived_at = timezone.now()
    save_with_history(document, by=by, reason=_("归档:%(r)s") % {"r": reason}, update_fields=["archived_at"])
    return document
