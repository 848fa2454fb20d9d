"""The case page's 证据目录 and 生成文书 sections, and the administrators' filing-template page.

Every view finds the case through visible_case / writable_case (another agency's is a
404, a reader's write a 403) and writes through cases/services/.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.choices import Kind
from cases.choices.defence import EvidenceGroup, FilingCode
from cases.filings import shipped
from cases.filings.context import FilingOptions, Lawyer
from cases.filings.render import DOCX_CONTENT_TYPE, filing_filename, filing_render
from cases.models import Agency, Document, EvidenceItem, FilingTemplate, Hearing
from cases.permissions import is_admin
from cases.services import evidence as evidence_services
from cases.services.documents import document_set_trigger
from cases.services.filing_templates import filing_template_revert, filing_template_upload
from cases.web.forms_defence import EvidenceForm, EvidenceSubmitForm, PowerOfAttorneyForm, TemplateUploadForm
from cases.web.views.common import run_service, visible_case, writable_case


def _back(case_id: int, anchor: str = "evidence") -> HttpResponse:
    return redirect(reverse("case-detail-page", args=[case_id]) + f"#{anchor}")


def _item(request: HttpRequest, pk: int) -> EvidenceItem:
    item = get_object_or_404(EvidenceItem.objects.for_user(request.user).select_related("case"), pk=pk)
    case = writable_case(request, item.case_id)
    item.case = case
    return item


def _page(request: HttpRequest, form: Any, case: Any, title: str) -> HttpResponse:
    return render(request, "cases/action_form.html", {"form": form, "case": case, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def evidence_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = writable_case(request, pk)
    form = EvidenceForm(request.POST or None, case=case, prefix="evidence")
    if request.method == "POST" and form.is_valid():
        if run_service(request, form, lambda: evidence_services.evidence_add(case=case, by=request.user,
                                                                              **form.cleaned_data),
                       success=_("证据已添加。")) is not None:
            return _back(case.pk)
    return _page(request, form, case, _("添加证据"))


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    initial = {name: getattr(item, name) for name in ("name", "group", "source", "purpose", "pages", "original")}
    initial["documents"] = list(item.documents.values_list("pk", flat=True))
    form = EvidenceForm(request.POST or None, case=item.case, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_service(request, form, lambda: evidence_services.evidence_update(item=item, by=request.user,
                                                                                 data=form.cleaned_data),
                       success=_("证据已保存。")) is not None:
            return _back(item.case_id)
    return _page(request, form, item.case, _("修改证据"))


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    evidence_services.evidence_remove(item=item, by=request.user)
    messages.success(request, _("证据已删除,修改记录中仍可查到。"))
    return _back(item.case_id)


@login_required
@require_POST
def evidence_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Swap an item with its neighbour in its group (the page's ↑ / ↓: ``direction`` up or down)."""
    item = _item(request, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("请选择上移或下移。"))
        return _back(item.case_id)
    group = list(EvidenceItem.objects.filter(case=item.case, group=item.group).order_by("position"))
    index = next(i for i, other in enumerate(group) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(group):
        group[index], group[target] = group[target], group[index]
        evidence_services.evidence_reorder(case=item.case, by=request.user, order=[i.pk for i in group],
                                           group=item.group)
    return _back(item.case_id)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_submit(request: HttpRequest, pk: int) -> HttpResponse:
    case = writable_case(request, pk)
    form = EvidenceSubmitForm(request.POST or None, prefix="submit")
    if request.method == "POST" and form.is_valid():
        submission = run_service(request, form, lambda: evidence_services.evidence_submit(
            case=case, by=request.user, **form.cleaned_data))
        if submission is not None:
            if submission.late:
                messages.warning(request, _("已记录。该次提交晚于举证期限(%(due)s),逾期提供的证据视为没有相应证据。")
                                 % {"due": submission.due_on.isoformat()})
            else:
                messages.success(request, _("已记录证据提交。"))
            return _back(case.pk)
    return _page(request, form, case, _("记录证据提交"))


@login_required
@require_POST
def document_trigger(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a received complaint copy / notice's date as the defence period's trigger (the page's offer)."""
    document = get_object_or_404(Document.objects.filter(archived_at__isnull=True).select_related("case"), pk=pk)
    case = writable_case(request, document.case_id)
    document.case = case
    try:
        document_set_trigger(document=document, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已按该文书的收到日期重新计算答辩/答复期限。"))
    return _back(case.pk, "deadlines-card")


def _options(request: HttpRequest, case: Any, code: str) -> FilingOptions:
    attorney = code == FilingCode.POWER_OF_ATTORNEY
    form = PowerOfAttorneyForm(request.GET if attorney else None, case=case)
    options = FilingOptions()
    if request.GET.get("hearing", "").isdigit():
        options.hearing = Hearing.objects.filter(case=case, archived_at__isnull=True,
                                                 pk=int(request.GET["hearing"][:10])).first()
    if form.is_bound and form.is_valid():
        options.agents = list(form.cleaned_data["agents"])
        options.authority = form.cleaned_data["authority"] or options.authority
        lawyer = form.cleaned_data["lawyer"].strip()
        if lawyer:
            name, firm, phone = ([*lawyer.split("|"), "", ""])[:3]
            options.lawyers = [Lawyer(name.strip(), firm.strip(), phone.strip())]
    elif form.is_bound:
        raise ValidationError(form.errors.as_text())
    return options


@login_required
@require_GET
def filing_download(request: HttpRequest, pk: int) -> HttpResponse:
    """``?template=<code>`` (the API's template codes) as DOCX; the power of attorney adds its choices."""
    case = visible_case(request, pk)
    code = request.GET.get("template", "")
    if code not in FilingCode.values:
        raise Http404
    try:
        data = filing_render(case=case, code=code, options=_options(request, case, code))
    except ValidationError as error:
        messages.error(request, _("无法生成%(f)s:%(e)s") % {"f": FilingCode(code).label, "e": " ".join(error.messages)})
        return _back(case.pk, "filings")
    return _docx(data, filing_filename(case, code))


def _docx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"filing.docx\"; filename*=UTF-8''{quote(filename)}"
    return response


# --- the administrators' template page ------------------------------------------------------------


def _template_agency(request: HttpRequest) -> Agency:
    code = request.GET.get("agency") or request.POST.get("agency")
    if not is_admin(request.user):
        membership = getattr(request.user, "membership", None)
        if code and (membership is None or membership.agency.code != code):
            raise Http404  # another agency's templates: not even their existence is shown
        raise PermissionDenied(_("只有管理员可以更换文书模板。"))
    agencies = Agency.objects.for_user(request.user)
    if code:
        return get_object_or_404(agencies, code=code[:60])
    membership = getattr(request.user, "membership", None)
    if membership is None:
        agency = agencies.order_by("code").first()
        if agency is None:
            raise Http404
        return agency
    return membership.agency


@login_required
@require_GET
def filing_templates(request: HttpRequest) -> HttpResponse:
    agency = _template_agency(request)
    custom = {t.code: t for t in FilingTemplate.objects.for_user(request.user).active().filter(agency=agency)}
    rows = [{"code": code, "label": label, "custom": custom.get(code)} for code, label in FilingCode.choices]
    return render(request, "cases/filing_templates.html", {
        "agency": agency, "rows": rows, "form": TemplateUploadForm(),
        "agencies": Agency.objects.for_user(request.user).order_by("code"),
    })


@login_required
@require_POST
def filing_template_upload_view(request: HttpRequest, code: str) -> HttpResponse:
    agency = _template_agency(request)
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            filing_template_upload(agency=agency, code=code, file=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已启用本机关的模板。"))
    else:
        messages.error(request, form.errors.as_text())
    return redirect(reverse("filing-templates") + f"?agency={agency.code}")


@login_required
@require_POST
def filing_template_revert_view(request: HttpRequest, code: str) -> HttpResponse:
    agency = _template_agency(request)
    try:
        filing_template_revert(agency=agency, code=code, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已恢复为系统模板。"))
    return redirect(reverse("filing-templates") + f"?agency={agency.code}")


@login_required
@require_GET
def filing_template_download(request: HttpRequest, code: str) -> HttpResponse:
    """The template in use (the agency's own or the shipped one), to edit in Word and upload back."""
    agency = _template_agency(request)
    if code not in FilingCode.values:
        raise Http404
    custom = FilingTemplate.objects.for_user(request.user).active().filter(agency=agency, code=code).first()
    if custom is not None:
        with custom.file.open("rb") as handle:
            data = handle.read()
    else:
        data = shipped.path_of(code).read_bytes()
    return _docx(data, f"{FilingCode(code).label}-模板.docx")


# The defence is a litigation filing, the reply a reconsideration one (ALL 67, ARL 48).
_NOT_FOR = {Kind.LITIGATION: FilingCode.RECONSIDERATION_REPLY, Kind.RECONSIDERATION: FilingCode.DEFENCE}


def evidence_context(case: Any, can_write: bool, user: Any) -> dict[str, Any]:
    """What the case page's two sections show."""
    items = list(EvidenceItem.objects.filter(case=case).listed().select_related("submission")
                 .prefetch_related("documents"))
    labels = dict(EvidenceGroup.choices)
    groups = [{"code": code, "label": labels[code], "items": [i for i in items if i.group == code]}
              for code in EvidenceGroup.values]
    submissions = list(case.evidence_submissions.order_by("submitted_on", "id"))
    return {
        "evidence_groups": groups, "evidence_count": len(items), "evidence_submissions": submissions,
        "late_submissions": [s for s in submissions if s.late],
        "evidence_form": EvidenceForm(case=case, prefix="evidence") if can_write else None,
        "submit_form": EvidenceSubmitForm(prefix="submit") if can_write else None,
        "filing_codes": [(code, label) for code, label in FilingCode.choices if code != _NOT_FOR[case.kind]], "attorney_form": PowerOfAttorneyForm(case=case),
        "hearings_for_filings": list(case.hearings.filter(archived_at__isnull=True).order_by("scheduled_at")),
        "unsubmitted": sum(1 for i in items if i.submission_id is None),
        "can_manage_templates": is_admin(user),
    }


