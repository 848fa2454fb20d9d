"""The Celery app and the whole beat schedule, declared once, here.

Run exactly one beat process (docs/reminders.md): the schedule below is the
only place a periodic job is declared.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casetracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every 5 minutes: claim due reminders and send them.
    "reminders-sweep": {
        "task": "cases.tasks.reminders_sweep",
        "schedule": crontab(minute="*/5"),
    },
    # 00:30 Asia/Shanghai on 1 January: freeze last year's report for every agency.
    "year-end-reports": {
        "task": "cases.tasks.yearly_reports_generate",
        "schedule": crontab(minute=30, hour=0, day_of_month=1, month_of_year=1),
    },
    # 02:00 every night: refresh the current year's running figures.
    "current-year-figures": {
        "task": "cases.tasks.yearly_figures_refresh",
        "schedule": crontab(minute=0, hour=2),
    },
}
