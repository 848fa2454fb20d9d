"""Choices, one module per aggregate as in cases/models/ (agency, case, hearing, deadlines,
reminders, reports, defence). Import them from here: ``from cases.choices import Status``."""

from cases.choices.agency import RESPONSIBLE_RANKS, LeaderRank, Role
from cases.choices.case import Instance, JudgmentForm, Kind, Outcome, Procedure, Status, Subject
from cases.choices.deadlines import RULE_CHOICES, DeadlineStatus, DeadlineUrgency
from cases.choices.defence import TRIGGER_DOCUMENT_KINDS, AgentAuthority, DocumentKind, EvidenceGroup, FilingCode
from cases.choices.followups import FollowUpStatus, FollowUpType, Ground
from cases.choices.hearing import AbsenceReason, Attendance, HearingKind, HearingStatus
from cases.choices.imports import LedgerImportStatus
from cases.choices.reminders import DeliveryStatus, ReminderChannel
from cases.choices.reports import ReportKind

__all__ = [
    "RESPONSIBLE_RANKS", "RULE_CHOICES", "AbsenceReason", "Attendance", "DeadlineStatus", "DeadlineUrgency", "DeliveryStatus",
    "FollowUpStatus", "FollowUpType", "Ground",
    "TRIGGER_DOCUMENT_KINDS", "AgentAuthority", "DocumentKind", "EvidenceGroup", "FilingCode",
    "HearingKind", "HearingStatus", "Instance", "LedgerImportStatus", "JudgmentForm", "Kind", "LeaderRank", "Outcome", "Procedure",
    "ReminderChannel", "ReportKind", "Role", "Status", "Subject",
]
