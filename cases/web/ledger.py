"""The ledger (台账): which cases, filtered by the API's CaseFilterSet, with each row's next deadline.

The form below only renders and validates the filters in Chinese; the filtering
itself is cases.filtersets.CaseFilterSet and the next deadline is
CaseQuerySet.with_next_deadline(), so a page of 50 rows costs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.choices import Kind, Outcome, Status, Subject
from cases.filtersets import CaseFilterSet
from cases.models import Agency, Case
from cases.people import person_name
from cases.querysets.cases import CaseQuerySet
from casetracker.calendar import WorkdayCalendar

PAGE_SIZE = 50
# Above this many readable agencies the ledger's agency and handler filters stop being lists.
MANY_AGENCIES = 100

# Public sort keys (the `sort` query parameter, "-" for descending) -> model fields.
SORTS: dict[str, str] = {
    "number": "number",
    "kind": "kind",
    "applicant": "applicant",
    "subject": "subject",
    "received_on": "received_on",
    "status": "status",
    "concluded_on": "concluded_on",
    "next_due": "next_due",
}
DEFAULT_SORT = "next_due"
# Users who read several agencies (a city, a province, the nation) see the newest first by
# default: ordering a million rows by their next deadline means computing every row's,
# while -received_on walks the case_active_received_idx index and stops after one page.
WIDE_DEFAULT_SORT = "-received_on"
# Columns that are never NULL sort without NULLS LAST, so an index serves them.
NOT_NULL_SORTS = {"number", "kind", "applicant", "subject", "received_on", "status"}

_BOOL_CHOICES = [("", _("不限")), ("true", _("是")), ("false", _("否"))]


def _blank(label: Any, choices: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class LedgerFilterForm(forms.Form):
    """The ledger's filters; parameter names are the API's (kind, status, outcome, subject, year, ...)."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("案号、当事人、行政行为…"), "type": "search"}))
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=_blank(_("全部类型"), Kind.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_blank(_("全部状态"), Status.choices))
    outcome = forms.ChoiceField(label=_("结果"), required=False, choices=_blank(_("全部结果"), Outcome.choices))
    subject = forms.ChoiceField(label=_("案由"), required=False, choices=_blank(_("全部案由"), Subject.choices))
    year = forms.IntegerField(label=_("办理年度"), required=False, min_value=2004, max_value=2100,
                              help_text=_("该年度内办理的案件(含上年结转)"))
    handler = forms.ModelChoiceField(label=_("承办人"), required=False, queryset=get_user_model().objects.none(),
                                     empty_label=_("全部承办人"))
    overdue = forms.TypedChoiceField(label=_("已逾期"), required=False, choices=_BOOL_CHOICES,
                                     coerce=lambda v: v == "true", empty_value=None)
    agency = forms.ModelChoiceField(label=_("机关"), required=False, queryset=Agency.objects.none(),
                                    empty_label=_("全部机关"), to_field_name="code")
    sort = forms.ChoiceField(label=_("排序"), required=False,
                             choices=[(k, k) for key in SORTS for k in (key, f"-{key}")])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.for_user(user).filter(archived_at__isnull=True)
        self.fields["agency"].queryset = agencies
        self.fields["handler"].queryset = (
            get_user_model().objects.filter(membership__agency__in=agencies).order_by("last_name", "first_name")
        )
        self.fields["handler"].label_from_instance = person_name
        count = agencies.count()
        self.show_agency = count > 1
        if not self.show_agency:
            del self.fields["agency"]
        elif count > MANY_AGENCIES:
            self._narrow_choices()

    def _narrow_choices(self) -> None:
        """A province or the nation (thousands of agencies and people): the agency is typed as
        its code, and the handler list holds the chosen agency's people only, so the page does
        not render a <select> of every person of every agency (issue 17)."""
        self.fields["agency"].widget = forms.TextInput(attrs={"placeholder": _("机关代码")})
        code = self.data.get("agency", "") if self.is_bound else ""
        handlers = self.fields["handler"].queryset
        self.fields["handler"].queryset = handlers.filter(membership__agency__code=code) if code else handlers.none()
        self.fields["handler"].help_text = _("先填写机关代码")

    def filters(self) -> dict[str, Any]:
        """The valid filters (invalid ones are reported by the form and left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}


@dataclass(frozen=True)
class LedgerHeading:
    """What a printed or exported ledger says above its rows: which cases, of whom, as of when."""

    agency: str
    filters: str
    day: dt.date

    def lines(self, *, printed: bool) -> list[str]:
        """The title and three lines in the active language; printed (打印日期) or exported (导出日期)."""
        day = self.day.isoformat()
        return [
            gettext("案件台账"),
            gettext("机关:%(a)s") % {"a": self.agency},
            gettext("筛选条件:%(f)s") % {"f": self.filters},
            (gettext("打印日期:%(d)s") if printed else gettext("导出日期:%(d)s")) % {"d": day},
        ]


def ledger_heading(form: LedgerFilterForm, user: Any, *, today: dt.date) -> LedgerHeading:
    filters = form.filters() if form.is_bound else {}
    return LedgerHeading(agency=_agency_words(form, filters, user), filters=filters_in_words(form, filters), day=today)


def _agency_words(form: LedgerFilterForm, filters: dict[str, Any], user: Any) -> str:
    if filters.get("agency") is not None:
        return str(filters["agency"].name)
    membership = getattr(user, "membership", None)
    own = membership.agency.name if membership is not None else gettext("全部机关")
    if getattr(form, "show_agency", False):
        return gettext("%(a)s及下级机关") % {"a": own}
    return str(own)


def filters_in_words(form: LedgerFilterForm, filters: dict[str, Any]) -> str:
    """The filters applied, each as its label and the value people chose: 状态:未结;承办人:王建国."""
    parts = [
        gettext("%(label)s:%(value)s") % {"label": form.fields[name].label, "value": _value_words(form, name, value)}
        for name, value in filters.items() if name != "sort"
    ]
    return gettext("；").join(parts) or gettext("无(全部案件)")


def _value_words(form: LedgerFilterForm, name: str, value: Any) -> str:
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, Agency):
        return str(value.name)
    if hasattr(value, "get_username"):
        return person_name(value)
    choices = getattr(form.fields[name], "choices", None)
    if choices is not None and not hasattr(value, "pk"):
        return str(dict(choices).get(value, value))
    return f"“{value}”" if name == "q" else str(value)


# Ledger parameters whose API name differs (the ledger's URLs predate the shared FilterSet).
API_NAMES = {"overdue": "has_overdue_deadline"}


def filterset_data(filters: dict[str, Any]) -> QueryDict:
    """The ledger form's valid values as CaseFilterSet parameters (the API's names and values)."""
    data = QueryDict(mutable=True)
    for name, value in filters.items():
        if name == "sort":
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, Agency):
            value = value.code
        elif hasattr(value, "pk"):
            value = value.pk
        data[API_NAMES.get(name, name)] = str(value)
    return data


def default_sort(wide: bool) -> str:
    return WIDE_DEFAULT_SORT if wide else DEFAULT_SORT


def ledger_queryset(
    user: Any, filters: dict[str, Any], *, today: dt.date, calendar: WorkdayCalendar, wide: bool = False
) -> CaseQuerySet:
    """The cases of the ledger: visible, not archived, filtered by CaseFilterSet (the API's) and sorted."""
    # A list, not a manager per row: case.handlers.all() in a template clones a queryset for each case.
    handlers = Prefetch("handlers", queryset=get_user_model().objects.order_by("last_name", "first_name"),
                        to_attr="handler_list")
    queryset = Case.objects.for_user(user).active().select_related("agency").prefetch_related(handlers)
    queryset = queryset.with_next_deadline(today=today, calendar=calendar)
    data = filterset_data(filters)
    if data:  # without a filter every one is a no-op; building the FilterSet is not (cases/api/backends.py)
        queryset = CaseFilterSet(data=data, queryset=queryset, request=_Request(user)).qs
    return queryset.order_by(*_ordering(filters.get("sort") or default_sort(wide)))


class _Request:
    """What CaseFilterSet reads of a request: the user, to scope the agency choices."""

    def __init__(self, user: Any) -> None:
        self.user = user


def _ordering(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    field = SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT])
    nulls_last = None if field in NOT_NULL_SORTS else True
    expression = F(field).desc(nulls_last=nulls_last) if descending else F(field).asc(nulls_last=nulls_last)
    if field == "received_on":
        tie = F("id").desc() if descending else F("id").asc()
        return [expression, tie]
    return [expression, F("received_on").desc(), F("id").desc()]
