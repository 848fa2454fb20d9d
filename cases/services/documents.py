"""Documents of a case (judgments, complaints, proof): upload and archive, never delete."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices.defence import DocumentKind
from cases.models import Case, Document
from cases.services.cases import case_update
from cases.services.common import ensure_can_write, require_reason, save_with_history
from cases.uploads import validate_upload
from cases.users import Actor, acting_user


@transaction.atomic
def document_upload(
    *, case: Case, title: str, file: UploadedFile[bytes] | None, by: Actor, kind: str = DocumentKind.OTHER,
    dated_on: dt.date | None = None,
) -> Document:
    """Attach a typed file to a case with the day it was received or sent; who uploaded it stays in the history."""
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
    if dated_on is not None and dated_on > timezone.localdate():
        errors["dated_on"] = _("收到/发出日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    document = Document(
        case=case, title=title, file=file, kind=kind or DocumentKind.OTHER, dated_on=dated_on,
        uploaded_by=acting_user(by),
    )
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


@transaction.atomic
def document_set_trigger(*, document: Document, by: Actor) -> Case:
    """Take a received 起诉状副本 / 应诉通知书 / 复议申请书副本's date as the case's received_on.

    received_on is the trigger of the defence / reply deadline (ALL 67, ARL 48), so the
    case's deadlines are recomputed by case_update, which also checks the new date.
    """
    day = document.offered_trigger
    if day is None:
        raise ValidationError(_("该文书不是起诉状副本、应诉通知书或复议申请书副本,或其日期已是起算日。"))
    reason = _("按%(kind)s《%(title)s》的收到日期设定答辩期限起算日") % {
        "kind": document.get_kind_display(), "title": document.title,
    }  # fmt: skip
    return case_update(case=document.case, by=by, data={"received_on": day}, reason=reason)
