"""The data: one module per aggregate."""

from cases.models.agency import Agency, Membership
from cases.models.case import Case, Document
from cases.models.deadlines import CalendarYear, Deadline, HolidayOverride
from cases.models.hearing import Hearing

__all__ = ["Agency", "CalendarYear", "Case", "Deadline", "Document", "Hearing", "HolidayOverride", "Membership"]
