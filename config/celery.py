"""The Celery app and the whole beat schedule, declared once, here.

Run exactly one beat process (docs/reminders.md): the schedule below is the
only place a periodic job is declared. Crontab times are read in CELERY_TIMEZONE
(TIME_ZONE, Asia/Shanghai by default); the year-end job is pinned to Beijing time
whatever TIME_ZONE says, because "last year" turns at midnight in Beijing.
"""

from __future__ import annotations

import os
from datetime import tzinfo
from zoneinfo import ZoneInfo

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casetracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

BEIJING = ZoneInfo("Asia/Shanghai")


class beijing_crontab(crontab):  # lower-case like the crontab it stands in for
    """A crontab whose fields are Beijing wall-clock time, whatever CELERY_TIMEZONE is."""

    @property
    def tz(self) -> tzinfo:  # type: ignore[override]  # celery-types says str; Celery returns a tzinfo
        return BEIJING


app.conf.beat_schedule = {
    # Every 5 minutes: write due reminders once and queue their sends. A sweep not
    # started within 4 minutes is dropped: the next one covers it (only the latest
    # applicable reminder is due), so a worker back from downtime runs one, not hundreds.
    "reminders-sweep": {
        "task": "cases.tasks.reminders_sweep",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # 00:30 Beijing time on 1 January: freeze last year's report for every agency.
    "year-end-reports": {
        "task": "cases.tasks.yearly_reports_generate",
        "schedule": beijing_crontab(minute=30, hour=0, day_of_month=1, month_of_year=1),
    },
    # 02:00 every night: refresh the current year's running figures.
    "current-year-figures": {
        "task": "cases.tasks.yearly_figures_refresh",
        "schedule": crontab(minute=0, hour=2),
    },
}
