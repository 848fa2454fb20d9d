"""The 导入台账 page's imports: upload and check (a dry run), then confirm and import.

    ledger_upload(agency=..., by=..., file=...) -> LedgerImport      # saved, checked now or queued
    ledger_confirm(job=..., by=...) -> LedgerImport                   # imported now or queued
    ledger_job_run(job_id=..., dry_run=...)                           # the Celery task's body
    ledger_progress(job) -> (rows done, rows in all) | None

A small file is checked and imported within the request; a larger one (over
LEDGER_IMPORT_INLINE_BYTES) by a Celery task, whose progress the page polls. The
import itself runs in one transaction, so its progress cannot be a database row
(nobody would see it before the commit): it goes to the "progress" cache, which
the web and worker processes share (a file cache, or Redis when the broker is Redis).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import LedgerImportStatus
from cases.ledger.reader import WorkbookRefused, check_file
from cases.models import Agency, LedgerImport
from cases.permissions import can_import
from cases.services.ledger_import import ImportResult, ledger_import

_PROGRESS_TTL = 3600


def _progress_key(job_id: int) -> str:
    return f"ledger-import:{job_id}"


def _inline(job: LedgerImport) -> bool:
    return job.file.size <= settings.LEDGER_IMPORT_INLINE_BYTES


def _dispatch(job: LedgerImport, *, dry_run: bool) -> None:
    if _inline(job):
        ledger_job_run(job_id=job.pk, dry_run=dry_run)
        job.refresh_from_db()
        return
    from cases.tasks import ledger_import_run

    caches["progress"].set(_progress_key(job.pk), (0, 0), _PROGRESS_TTL)
    transaction.on_commit(lambda: ledger_import_run.delay(job.pk, dry_run))


def ledger_upload(*, agency: Agency, by: Any, file: Any) -> LedgerImport:
    """Keep the uploaded workbook and check it (a dry run); refuse what is not a readable .xlsx."""
    if not can_import(by, agency):
        raise PermissionDenied(_("只有本机关的法制工作人员和管理员可以导入台账。"))
    try:
        check_file(file, getattr(file, "size", None), file.name or "ledger.xlsx")
    except WorkbookRefused as refused:
        raise ValidationError({"file": [str(refused)]}) from None
    job = LedgerImport(agency=agency, created_by=by, filename=(file.name or "ledger.xlsx").rsplit("/", 1)[-1][:255])
    job.file.save(job.filename, file, save=False)
    job._change_reason = _("上传台账")  # type: ignore[attr-defined]
    job.save()
    _dispatch(job, dry_run=True)
    return job


def ledger_confirm(*, job: LedgerImport, by: Any) -> LedgerImport:
    """Import a checked file for real; only a check without errors can be confirmed, once."""
    if not can_import(by, job.agency):
        raise PermissionDenied(_("只有本机关的法制工作人员和管理员可以导入台账。"))
    with transaction.atomic():
        claimed = LedgerImport.objects.filter(pk=job.pk, status=LedgerImportStatus.CHECKED).update(
            status=LedgerImportStatus.IMPORTING
        )  # one confirm wins: a double click does not import twice
        if not claimed or (job.check_result or {}).get("errors"):
            raise ValidationError(_("该文件未通过检查或已经导入,不能确认导入。"))
    job.refresh_from_db()
    _dispatch(job, dry_run=False)
    return job


def ledger_job_run(*, job_id: int, dry_run: bool) -> None:
    """Run the check or the import of one uploaded file and keep its result (idempotent per stage)."""
    job = LedgerImport.objects.select_related("agency", "created_by__membership").get(pk=job_id)
    expected = LedgerImportStatus.CHECKING if dry_run else LedgerImportStatus.IMPORTING
    if job.status != expected:
        return  # a redelivered message: this stage is done

    def progress(done: int, total: int) -> None:
        caches["progress"].set(_progress_key(job_id), (done, total), _PROGRESS_TTL)

    try:
        with job.file.open("rb") as handle:
            result = ledger_import(
                agency=job.agency, by=job.created_by, file=handle, filename=job.filename, dry_run=dry_run,
                size=job.file.size, progress=progress,
            )
    except PermissionDenied as denied:
        result = ImportResult(dry_run=dry_run)
        result.errors.append(_row_error(str(denied)))
    _finish(job, result, dry_run=dry_run)


def _row_error(message: str) -> Any:
    from cases.ledger.parse import RowError

    return RowError("", 0, "", message)


def _finish(job: LedgerImport, result: ImportResult, *, dry_run: bool) -> None:
    data = {**result.as_dict(), "warnings": result.warnings}
    if dry_run:
        job.check_result, job.status = data, LedgerImportStatus.CHECKED
        fields = ["check_result", "status"]
    else:
        job.result = data
        job.status = LedgerImportStatus.FAILED if result.errors else LedgerImportStatus.IMPORTED
        job.finished_at = timezone.now()
        fields = ["result", "status", "finished_at"]
    job._change_reason = _("检查台账") if dry_run else _("导入台账")  # type: ignore[attr-defined]
    job.save(update_fields=fields)
    caches["progress"].delete(_progress_key(job.pk))


def ledger_progress(job: LedgerImport) -> tuple[int, int] | None:
    """Rows done and rows in all while a task works on the file; None when it is not running."""
    if job.status not in (LedgerImportStatus.CHECKING, LedgerImportStatus.IMPORTING):
        return None
    return caches["progress"].get(_progress_key(job.pk)) or (0, 0)
