"""A model's named CheckConstraints evaluated on the instance in Python, without a query.

Django's ``CheckConstraint.validate`` runs one SQL query per constraint (a row of
annotations for every field); a batch of thousands of rows (the ledger import) would
spend its time there. This reads the same declarations (the one place each one-row
rule lives) and evaluates their conditions on the instance with SQL's three-valued
logic: a comparison with NULL is unknown, and, as in a database CHECK (and Django's
``Coalesce(condition, True)``), an unknown condition passes. A condition this cannot
evaluate (a lookup other than the few below, a join, an expression) is left to
Django's own query, so nothing is ever skipped.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, Final

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP

Truth = bool | None  # None: unknown (a NULL took part)

_COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "exact": operator.eq, "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le,
}


class NotEvaluable(Exception):
    """The condition uses something this evaluator does not know; Django's query decides."""


def _value(instance: models.Model, name: str) -> Any:
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        raise NotEvaluable(name) from None
    if not field.concrete or field.many_to_many:
        raise NotEvaluable(name)
    return getattr(instance, field.attname)


def _leaf(instance: models.Model, lookup: str, wanted: Any) -> Truth:
    name, _sep, kind = lookup.partition(LOOKUP_SEP)
    kind = kind or "exact"
    if LOOKUP_SEP in kind:
        raise NotEvaluable(lookup)  # a join
    value = _value(instance, name)
    if isinstance(wanted, F):
        wanted = _value(instance, str(wanted.name))  # type: ignore[attr-defined]
    elif hasattr(wanted, "resolve_expression"):
        raise NotEvaluable(lookup)
    if kind == "isnull":
        return (value is None) == bool(wanted)
    if kind == "exact" and wanted is None:
        return value is None  # Django turns `= None` into IS NULL
    if kind == "in":
        return None if value is None else value in wanted
    compare = _COMPARE.get(kind)
    if compare is None:
        raise NotEvaluable(lookup)
    if value is None or wanted is None:
        return None
    return bool(compare(value, wanted))


def evaluate(condition: Q, instance: models.Model) -> Truth:
    """The truth of a Q condition on the instance's current values (three-valued)."""
    results: list[Truth] = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(evaluate(child, instance))
        elif isinstance(child, tuple):
            results.append(_leaf(instance, child[0], child[1]))
        else:
            raise NotEvaluable(repr(child))
    if condition.connector == Q.AND:
        truth: Truth = False if False in results else None if None in results else True
    elif condition.connector == Q.OR:
        truth = True if True in results else None if None in results else False
    else:
        raise NotEvaluable(condition.connector)
    if condition.negated:
        truth = None if truth is None else not truth
    return truth


def _refs(condition: Q) -> frozenset[str]:
    """The field names a condition reads (cached: the declarations do not change)."""
    key = id(condition)
    if key not in _REFS:
        _REFS[key] = frozenset(_collect(condition))
    return _REFS[key]


_REFS: dict[int, frozenset[str]] = {}


def _collect(condition: Q) -> set[str]:
    names: set[str] = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _collect(child)
        elif isinstance(child, tuple):
            names.add(child[0].split(LOOKUP_SEP)[0])
            if isinstance(child[1], F):
                names.add(str(child[1].name))  # type: ignore[attr-defined]
    return names


def check_constraints_in_memory(instance: models.Model, exclude: set[str] | frozenset[str] = frozenset()) -> None:
    """Raise the ValidationError Django's validate_constraints would for the CheckConstraints.

    Unique constraints are not checked here: the caller knows which keys are taken
    (a batch loads them once). Errors carry the constraint's message, on the record
    as Django reports them (a model's validate_constraints may move them onto fields).
    """
    errors: list[ValidationError] = []
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        if set(exclude) & _refs(constraint.condition):  # type: ignore[arg-type]
            continue  # as Django does: a field that already failed is not checked again
        try:
            failed = evaluate(constraint.condition, instance) is False  # type: ignore[arg-type]
        except NotEvaluable:
            try:
                constraint.validate(type(instance), instance)
            except ValidationError as error:
                errors.append(error)
            continue
        if failed:
            errors.append(ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code))
    if errors:
        raise ValidationError({"__all__": errors})


def check_constraints_on_fields(instance: models.Model) -> None:
    """check_constraints_in_memory, its errors on the fields the model names (ConstraintErrorsOnFields)."""
    try:
        check_constraints_in_memory(instance)
    except ValidationError as error:
        to_fields = getattr(instance, "_errors_on_fields", None)
        raise ValidationError(to_fields(error, set()) if to_fields else error.error_dict) from None


def full_clean_in_memory(instance: models.Model) -> None:
    """``full_clean`` of a new row whose related rows the caller already holds, without a query.

    Field values and the model's ``clean`` as Django runs them; foreign keys are not
    looked up again (the caller passes loaded objects); CheckConstraints in Python,
    moved onto their fields the way the model's own ``validate_constraints`` does.
    """
    errors: dict[str, list[ValidationError]] = {}
    related = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    try:
        instance.clean_fields(exclude=related)
    except ValidationError as error:
        errors = dict(error.error_dict)
    try:
        instance.clean()
    except ValidationError as error:
        for key, items in error.update_error_dict({}).items():
            errors.setdefault(key, []).extend(items)
    try:
        check_constraints_in_memory(instance, exclude=set(errors))
    except ValidationError as error:
        to_fields = getattr(instance, "_errors_on_fields", None)
        found = to_fields(error, set()) if to_fields else error.error_dict
        for key, items in found.items():
            errors.setdefault(key, []).extend(items)
    if errors:
        raise ValidationError(errors)
