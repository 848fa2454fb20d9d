"""Forms of the 跟进事项 pages and corrective actions. They only clean input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices import FollowUpType
from cases.models import Case, FollowUp
from cases.web.forms import DATE, VersionedForm


class FollowUpForm(VersionedForm):
    """Log or correct a letter; leave 答复期限 empty for the statutory reply deadline."""

    type = forms.ChoiceField(label=_("类型"), choices=FollowUpType.choices)
    issuing_body = forms.CharField(label=_("发出机关"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    case = forms.ModelChoiceField(label=_("关联案件"), queryset=Case.objects.none(), required=False)
    summary = forms.CharField(label=_("主要内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("答复期限"), widget=DATE, required=False,
                             help_text=_("文书另定期限时填写;留空则按法定期限计算。"))

    def __init__(self, *args: Any, agency_id: int, follow_up: FollowUp | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = Case.objects.filter(agency_id=agency_id).active().order_by("-received_on")
        if follow_up is not None and not self.is_bound:
            for name in ("type", "issuing_body", "document_number", "received_on", "case", "summary"):
                self.fields[name].initial = getattr(follow_up, name)
            self.fields["due_on"].initial = follow_up.due_on if follow_up.due_given else None
            self.fields["version"].initial = follow_up.version

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class FollowUpAnswerForm(VersionedForm):
    answered_on = forms.DateField(label=_("答复日期"), widget=DATE)
    reply_document_number = forms.CharField(label=_("答复文号"), max_length=100, required=False)


class CorrectiveActionForm(forms.Form):
    description = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_unit = forms.CharField(label=_("责任单位"), max_length=200)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectiveActionDoneForm(VersionedForm):
    done_on = forms.DateField(label=_("完成日期"), widget=DATE)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpFilterForm(forms.Form):
    """The list page's visible filters; FollowUpFilterSet (shared with the API) applies them."""

    type = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部")), *FollowUpType.choices])
    status = forms.ChoiceField(label=_("状态"), required=False)
    overdue = forms.ChoiceField(label=_("逾期"), required=False,
                                choices=[("", _("全部")), ("true", _("已逾期未答复")), ("false", _("未逾期"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from cases.choices import FollowUpStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), *FollowUpStatus.choices]
