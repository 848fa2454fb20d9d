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


def _attname(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        raise NotEvaluable(name) from None
    if not field.concrete or field.many_to_many:
        raise NotEvaluable(name)
    return str(field.attname)


Check = Callable[[models.Model], Truth]


def _compile_leaf(model: type[models.Model], lookup: str, wanted: Any) -> Check:
    """One ``field__lookup=value`` as a function of the instance (the field and the lookup resolved once)."""
    name, _sep, kind = lookup.partition(LOOKUP_SEP)
    kind = kind or "exact"
    if LOOKUP_SEP in kind:
        raise NotEvaluable(lookup)  # a join
    attname = _attname(model, name)
    get = operator.attrgetter(attname)
    if isinstance(wanted, F):
        get_wanted: Callable[[models.Model], Any] = operator.attrgetter(
            _attname(model, str(wanted.name))  # type: ignore[attr-defined]
        )
    elif hasattr(wanted, "resolve_expression"):
        raise NotEvaluable(lookup)
    else:
        def get_wanted(_instance: models.Model, constant: Any = wanted) -> Any:
            return constant
    if kind == "isnull":
        return lambda instance: (get(instance) is None) == bool(get_wanted(instance))
    if kind == "in":
        return lambda instance: None if (value := get(instance)) is None else value in get_wanted(instance)
    compare = _COMPARE.get(kind)
    if compare is None:
        raise NotEvaluable(lookup)

    def check(instance: models.Model) -> Truth:
        value, other = get(instance), get_wanted(instance)
        if kind == "exact" and other is None:
            return value is None  # Django turns `= None` into IS NULL
        if value is None or other is None:
            return None
        return bool(compare(value, other))

    return check


def _compile(condition: Q, model: type[models.Model]) -> Check:
    """A Q condition as a function of the instance, three-valued; NotEvaluable when it uses anything else."""
    parts: list[Check] = []
    for child in condition.children:
        if isinstance(child, Q):
            parts.append(_compile(child, model))
        elif isinstance(child, tuple):
            parts.append(_compile_leaf(model, child[0], child[1]))
        else:
            raise NotEvaluable(repr(child))
    if condition.connector not in (Q.AND, Q.OR):
        raise NotEvaluable(condition.connector)
    conjunction, negated = condition.connector == Q.AND, condition.negated

    def check(instance: models.Model) -> Truth:
        results = [part(instance) for part in parts]
        if conjunction:
            truth: Truth = False if False in results else None if None in results else True
        else:
            truth = True if True in results else None if None in results else False
        if negated:
            truth = None if truth is None else not truth
        return truth

    return check


_COMPILED: dict[tuple[int, type[models.Model]], Check | NotEvaluable] = {}


def _compiled(condition: Q, model: type[models.Model]) -> Check:
    """The condition compiled once per model (the declarations do not change); raises NotEvaluable as evaluate."""
    key = (id(condition), model)
    if key not in _COMPILED:
        try:
            _COMPILED[key] = _compile(condition, model)
        except NotEvaluable as error:
            _COMPILED[key] = error
    found = _COMPILED[key]
    if isinstance(found, NotEvaluable):
        raise found
    return found


def evaluate(condition: Q, instance: models.Model) -> Truth:
    """The truth of a Q condition on the instance's current values (three-valued)."""
    return _compiled(condition, type(instance))(instance)


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
        if exclude and not _refs(constraint.condition).isdisjoint(exclude):  # type: ignore[arg-type]
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
