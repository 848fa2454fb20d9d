"""Text fields without control characters, checked in full_clean (services, forms and the admin all call it)."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import models

from cases.text import refuse_control_characters


class PlainText(models.Model):
    """Every CharField and TextField of the model refuses C0 control characters (cases/text.py)."""

    class Meta:
        abstract = True  # a plain mixin would be written into the migrations' bases

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = dict(error.error_dict)
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname, None)
            if field.name in (exclude or ()) or field.name in errors or not isinstance(value, str):
                continue
            if isinstance(field, models.CharField | models.TextField):
                try:
                    refuse_control_characters(value, long_text=isinstance(field, models.TextField))
                except ValidationError as error:
                    errors[field.name] = [error]
        if errors:
            raise ValidationError(errors)
