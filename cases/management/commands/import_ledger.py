"""`manage.py import_ledger FILE.xlsx --agency CODE [--dry-run] [--as USERNAME]`.

Prints every error as 第N行 [列名] message, one per line, then as its last line one JSON
object {"created", "updated", "unchanged", "errors"}; exits 1 when there are errors
(nothing is saved then). Unknown columns are reported on stderr and ignored.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from cases.models import Agency
from cases.services.ledger_import import ledger_import
from cases.users import SYSTEM


class Command(BaseCommand):
    help = "Import an Excel ledger (台账) into an agency: all rows or none; --dry-run shows what would change."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx workbook (sheet 1 cases, sheet 开庭 hearings)")
        parser.add_argument("--agency", required=True, help="agency code, e.g. wuzhou-hrss")
        parser.add_argument("--dry-run", action="store_true", help="check and count, save nothing")
        parser.add_argument("--as", dest="username", help="import as this user (their permissions and name in the history)")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"].strip()).first()
        if agency is None:
            raise CommandError(f"Unknown agency {options['agency']!r}.")
        user = self._user(options["username"])
        path: Path = options["file"]
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        with handle:
            try:
                result = ledger_import(
                    agency=agency, by=user, file=handle, filename=path.name, dry_run=options["dry_run"],
                    size=path.stat().st_size,
                )
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from None
        for warning in result.warnings:
            self.stderr.write(warning)
        for error in sorted(result.errors):
            self.stdout.write(str(error))
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        if result.errors:
            raise SystemExit(1)

    def _user(self, username: str | None) -> Any:
        if not username:
            return SYSTEM  # the operator at the server's shell
        user = get_user_model().objects.filter(username=username).select_related("membership").first()
        if user is None:
            raise CommandError(f"Unknown user {username!r}.")
        return user
