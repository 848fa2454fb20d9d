"""Writing many new rows at once with the history the single-row services would leave.

A service that saves one row calls ``save_with_history`` after each state change, so a
case created and then concluded has two history rows. A batch service applies the same
changes in memory and records a ``Staged`` step after each (its reason);
``bulk_save_with_history`` inserts the rows in their final state in a few multi-row INSERTs
and, like django-simple-history's ``bulk_create_with_history``, one ``+`` history row per
new row holding its final values and every step's reason in order, many-to-many history
included: a few queries per batch instead of several per row, and half the history rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from cases.services.fast_insert import insert_objects, insert_values
from cases.users import Actor


@cache
def _history_model(model: type[models.Model]) -> Any:
    # Reading ``model.history`` builds a manager class each time (garbage in a reference
    # cycle, kept until a full collection): once per model is enough.
    return model.history.model  # type: ignore[attr-defined]


@cache
def _tracked(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in _history_model(model).tracked_fields)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The values the history model keeps of the row, now."""
    return {name: getattr(obj, name) for name in _tracked(obj._meta.model)}


@dataclass
class Staged:
    """A new row and the history steps a batch service went through for it."""

    obj: models.Model
    steps: list[str] = field(default_factory=list)  # the history reason of each step, in order
    # Many-to-many values (field name -> related ids) to set once the row exists.
    m2m: dict[str, list[int]] = field(default_factory=dict)

    def record(self, reason: str) -> Staged:
        """One step the row went through, with its history reason."""
        self.steps.append(reason)
        return self


def _history_values(history_model: Any, obj: models.Model, reason: str, user_id: Any, when: Any) -> dict[str, Any]:
    attrs = snapshot(obj)
    for f in history_model.tracked_fields:
        # Filled in by the insert: the primary key and auto_now(_add) stamps.
        if attrs.get(f.attname) is None and (f.primary_key or getattr(f, "auto_now", False)
                                             or getattr(f, "auto_now_add", False)):
            attrs[f.attname] = getattr(obj, f.attname)
    attrs.update(history_date=when, history_type="+", history_user_id=user_id, history_change_reason=reason)
    return attrs


def bulk_save_with_history(model: type[models.Model], staged: Sequence[Staged], *, by: Actor) -> None:
    """Insert the staged rows (final state), their m2m rows, and one history row per recorded step.

    The rows go in as ``bulk_create`` would write them, history and link rows as the
    values their instances would hold (cases/services/fast_insert.py: the per-value
    machinery of ``bulk_create`` was most of a ledger import's time).
    """
    if not staged:
        return
    insert_objects(model, [item.obj for item in staged])  # RETURNING sets the pks
    history_model = _history_model(model)
    user_id = by.pk if getattr(by, "is_authenticated", False) else None
    when = timezone.now()
    m2m = _m2m_fields(model)
    # One history row per new row, as simple_history's bulk_create_with_history writes:
    # its final values, and every step's reason in order (登记案件;结案:维持).
    history_pks = insert_values(history_model, [
        _history_values(history_model, item.obj, ";".join(dict.fromkeys(step for step in item.steps if step)),
                        user_id, when)
        for item in staged
    ], returning=bool(m2m))
    for name, through_history in m2m.items():
        link = _bulk_m2m(model, name, staged)
        source, target = _source(model, name), _target(model, name)
        # As simple_history's own m2m snapshot: the through row's values (its id too) under each history row.
        insert_values(through_history, [
            {"history_id": history_pk, "id": link[(item.obj.pk, pk)], f"{source}_id": item.obj.pk, f"{target}_id": pk}
            for history_pk, item in zip(history_pks, staged, strict=True) for pk in item.m2m.get(name, ())
        ], returning=False)
    _release_files(model, staged)


@cache
def _file_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField))


def _release_files(model: type[models.Model], staged: Sequence[Staged]) -> None:
    """Keep a written row's file fields as their stored names, not FieldFiles.

    A FileField's value, once read (by the checks, by the insert), is a FieldFile pointing
    back at its instance: a reference cycle per row, freed only by a full garbage
    collection, so a batch's rows outlived it (a ledger import's peak memory grew with its
    hearings until one ran). The field's descriptor wraps the name again when it is read.
    """
    for name in _file_fields(model):
        for item in staged:
            value = item.obj.__dict__.get(name)
            if isinstance(value, FieldFile):
                item.obj.__dict__[name] = value.name


def _m2m_fields(model: type[models.Model]) -> dict[str, Any]:
    """Many-to-many fields with history -> their historical through model."""
    from simple_history.models import HistoricalRecords

    fields = getattr(_history_model(model), "_history_m2m_fields", [])
    return {f.name: HistoricalRecords.m2m_models[f] for f in fields}


def _source(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).m2m_field_name())  # type: ignore[union-attr]


def _target(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).m2m_reverse_field_name())  # type: ignore[union-attr]


def _bulk_m2m(model: type[models.Model], name: str, staged: Sequence[Staged]) -> dict[tuple[Any, Any], Any]:
    """Insert the m2m rows; (row pk, related pk) -> the through row's pk."""
    through = model._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
    source, target = _source(model, name) + "_id", _target(model, name) + "_id"
    pairs = [(item.obj.pk, pk) for item in staged for pk in item.m2m.get(name, ())]
    pks = insert_values(through, [{source: row, target: pk} for row, pk in pairs], returning=True)
    return dict(zip(pairs, pks, strict=True))
