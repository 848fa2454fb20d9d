"""Choices of the defence package: document types, evidence groups, filing templates (issue 13).

Kept apart from cases/choices.py (the D8 codes) because these are the tracker's own
public codes, not the law's; the labels are the words the courts' forms use.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """What an uploaded document is; its date is the day it was received or sent."""

    COMPLAINT_COPY = "complaint_copy", _("起诉状副本")
    APPLICATION_COPY = "application_copy", _("复议申请书副本")
    RESPONSE_NOTICE = "response_notice", _("应诉通知书")
    DEFENCE = "defence", _("答辩状")
    REPLY = "reply", _("答复书")
    EVIDENCE = "evidence", _("证据")
    JUDGMENT = "judgment", _("判决书")
    RULING = "ruling", _("裁定书")
    RECONSIDERATION_DECISION = "reconsideration_decision", _("复议决定书")
    OPINION_LETTER = "opinion_letter", _("意见书")
    POWER_OF_ATTORNEY = "power_of_attorney", _("授权委托书")
    IDENTITY_CERTIFICATE = "identity_certificate", _("身份证明")
    HEARING_NOTICE = "hearing_notice", _("出庭通知")
    OTHER = "other", _("其他")


#: Receiving one of these starts the defence / reply period (ALL 67, ARL 48): the case
#: page offers to take the document's date as the case's received_on (the trigger).
TRIGGER_DOCUMENT_KINDS = frozenset(
    {DocumentKind.COMPLAINT_COPY, DocumentKind.RESPONSE_NOTICE, DocumentKind.APPLICATION_COPY}
)


class EvidenceGroup(models.TextChoices):
    """The three parts of a court-style evidence list, in the order they are filed."""

    EVIDENCE = "evidence", _("证据")
    BASIS = "basis", _("依据(法律、法规、规范性文件)")
    PROCEDURE = "procedure", _("程序材料")


class FilingCode(models.TextChoices):
    """The generated filings; the codes are public (the API's generate/{template}/)."""

    DEFENCE = "defence", _("答辩状")
    RECONSIDERATION_REPLY = "reconsideration_reply", _("行政复议答复书")
    EVIDENCE_LIST = "evidence_list", _("证据目录")
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人身份证明书")
    POWER_OF_ATTORNEY = "power_of_attorney", _("授权委托书")
    HEARING_NOTICE = "hearing_notice", _("出庭通知")
    ABSENCE_STATEMENT = "absence_statement", _("负责人不能出庭情况说明")


class AgentAuthority(models.TextChoices):
    """The scope of a power of attorney (授权委托书)."""

    GENERAL = "general", _("一般代理")
    SPECIAL = "special", _("特别授权")
