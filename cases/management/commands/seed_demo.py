from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cases.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo agencies, users, the 2021 year of wuzhou-hrss and a few live cases (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", help="Set every demo user's password to this (default: random, printed).")

    def handle(self, *args: Any, password: str | None = None, **options: Any) -> None:
        if password is not None and len(password) < 4:
            raise CommandError("--password must have at least 4 characters")
        report = seed_demo(password=password)
        self.stdout.write(f"cases: {report.created_cases} created, {report.existing_cases} already there")
        for username, chosen in report.created_users.items():
            self.stdout.write(f"login: {username} / {chosen}")
        for username in report.existing_users:
            self.stdout.write(f"login: {username} (password unchanged)")
