"""The data: one module per aggregate."""

from cases.choices import ReportKind
from cases.models.agency import Agency, Membership
from cases.models.case import Case, Document
from cases.models.deadlines import CalendarYear, Deadline, HolidayOverride
from cases.models.defence import EvidenceItem, EvidenceSubmission, FilingTemplate
from cases.models.feeds import CalendarFeedToken
from cases.models.followups import CaseGround, CorrectiveAction, FollowUp
from cases.models.hearing import Hearing
from cases.models.imports import LedgerImport
from cases.models.reminders import Notification, ReminderDelivery
from cases.models.reports import YearlyReport
from cases.models.suspension import Suspension

__all__ = ["Agency", "CalendarFeedToken", "CalendarYear", "Case", "Deadline", "Document", "Hearing", "HolidayOverride", "Membership",
           "Notification", "ReminderDelivery"]
__all__ += ["LedgerImport", "ReportKind", "Suspension", "YearlyReport"]
__all__ += ["EvidenceItem", "EvidenceSubmission", "FilingTemplate"]
__all__ += ["CaseGround", "CorrectiveAction", "FollowUp"]
