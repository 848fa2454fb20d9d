"""`manage.py build_filing_templates`: rewrite the shipped .docx templates from cases/filings/shipped.py."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cases.filings import shipped


class Command(BaseCommand):
    help = "Rewrite the shipped filing templates (cases/filings/docx/*.docx) from cases/filings/shipped.py."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in shipped.write_all():
            self.stdout.write(str(path))
