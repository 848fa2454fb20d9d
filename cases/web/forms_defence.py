"""Forms of the case page's 证据目录 and 生成文书 sections and of the template page; they only clean input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices.defence import AgentAuthority, EvidenceGroup
from cases.models import Case, Document
from cases.web.forms import DATE, PeopleChoiceField, agency_people


class DocumentChoiceField(PeopleChoiceField):
    """Documents of the case by title; PeopleChoiceField's id check keeps a huge id from reaching SQLite."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.title


class EvidenceForm(forms.Form):
    name = forms.CharField(label=_("证据名称"), max_length=300)
    group = forms.ChoiceField(label=_("类别"), choices=EvidenceGroup.choices, initial=EvidenceGroup.EVIDENCE)
    source = forms.CharField(label=_("证据来源"), max_length=300, required=False)
    purpose = forms.CharField(label=_("证明目的"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pages = forms.IntegerField(label=_("页数"), min_value=1, max_value=32767, required=False)
    original = forms.BooleanField(label=_("原件"), required=False, help_text=_("勾选为原件,不勾选为复印件。"))
    documents = DocumentChoiceField(label=_("对应文件"), queryset=Document.objects.none(), required=False,
                                    widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = case.documents.filter(archived_at__isnull=True).order_by("-uploaded_at")


class EvidenceSubmitForm(forms.Form):
    submitted_on = forms.DateField(label=_("提交日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=1000, required=False)


class PowerOfAttorneyForm(forms.Form):
    agents = PeopleChoiceField(label=_("本机关受委托人"), queryset=Case.objects.none(), required=False,
                               widget=forms.CheckboxSelectMultiple)
    lawyer = forms.CharField(label=_("受委托律师"), max_length=300, required=False,
                             help_text=_("姓名|律师事务所|电话"))
    authority = forms.ChoiceField(label=_("代理权限"), choices=AgentAuthority.choices, initial=AgentAuthority.GENERAL,
                                  required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agents"].queryset = agency_people(case.agency_id)


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label=_("模板文件(.docx)"))
