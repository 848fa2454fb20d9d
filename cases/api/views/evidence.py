"""The defence package in the API (issue 13).

    /api/cases/{case_id}/evidence/                  GET list, POST create
    /api/cases/{case_id}/evidence/{id}/             GET, PUT, PATCH, DELETE
    /api/cases/{case_id}/evidence/reorder/          POST {"order": [ids], "group"?: ...}
    /api/cases/{case_id}/evidence/submit/           POST {"submitted_on", "note"?}: record a (supplementary) filing
    /api/cases/{case_id}/documents/generate/{template}/   GET the filing as DOCX

The case comes from ``Case.objects.for_user(user)``: another agency's case (and so
its evidence) is a 404 for every method; a reader's write is a 403. Writes call
cases/services/evidence.py; ``position`` changes only through reorder.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.views.common import ScopedViewSet, validated_input
from cases.api.views.reports import DocxRenderer
from cases.choices.defence import AgentAuthority, EvidenceGroup, FilingCode
from cases.filings.context import FilingOptions, Lawyer
from cases.filings.render import DOCX_CONTENT_TYPE, filing_filename, filing_render
from cases.models import Case, EvidenceItem, EvidenceSubmission, Hearing
from cases.services import evidence as evidence_services

User = get_user_model()
CASE_ID = OpenApiParameter("case_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The case's id.")


class EvidenceItemSerializer(serializers.ModelSerializer):
    """One row of the evidence list; ``documents`` are ids of the case's own documents."""

    documents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    submitted_on = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceItem
        fields = ["id", "name", "source", "purpose", "pages", "original", "group", "documents", "position",
                  "submitted_on", "updated_at"]
        read_only_fields = fields

    def get_submitted_on(self, item: EvidenceItem) -> str | None:
        submission = item.submission
        return submission.submitted_on.isoformat() if submission is not None else None


class EvidenceWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    source = serializers.CharField(max_length=300, required=False, allow_blank=True)
    purpose = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    pages = serializers.IntegerField(min_value=1, max_value=32767, required=False, allow_null=True)
    original = serializers.BooleanField(required=False)
    group = serializers.ChoiceField(choices=EvidenceGroup.choices, required=False)
    documents = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
                                      required=False, max_length=200)


class EvidenceReorderSerializer(serializers.Serializer):
    order = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=1000,
                                  help_text=_("本证据目录(或该类别)中每条证据的 id,按新的顺序排列。"))
    group = serializers.ChoiceField(choices=EvidenceGroup.choices, required=False)


class EvidenceSubmitSerializer(serializers.Serializer):
    submitted_on = serializers.DateField()
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class EvidenceSubmissionSerializer(serializers.ModelSerializer):
    items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = EvidenceSubmission
        fields = ["id", "submitted_on", "supplementary", "due_on", "late", "items_count", "items", "note"]
        read_only_fields = fields


def _case(request: Request, case_id: str) -> Case:
    if not case_id.isdigit() or int(case_id) > 2**31 - 1:
        raise Http404
    return get_object_or_404(Case.objects.for_user(request.user).active(), pk=int(case_id))


@extend_schema_view(
    list=extend_schema(parameters=[CASE_ID]),
    retrieve=extend_schema(parameters=[CASE_ID]),
    create=extend_schema(parameters=[CASE_ID], request=EvidenceWriteSerializer, responses={201: EvidenceItemSerializer}),
    update=extend_schema(parameters=[CASE_ID], request=EvidenceWriteSerializer, responses=EvidenceItemSerializer),
    partial_update=extend_schema(parameters=[CASE_ID], request=EvidenceWriteSerializer,
                                 responses=EvidenceItemSerializer),
    destroy=extend_schema(parameters=[CASE_ID], responses={204: None}),
)
class EvidenceViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The evidence list (证据目录) of one case, in filing order."""

    serializer_class = EvidenceItemSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def get_case(self) -> Case:
        if not hasattr(self, "_case_obj"):
            self._case_obj = _case(self.request, self.kwargs["case_id"])
        return self._case_obj

    def get_queryset(self) -> Any:
        return (
            EvidenceItem.objects.for_user(self.request.user).filter(case=self.get_case())
            .listed().select_related("submission").prefetch_related("documents")
        )

    def _respond(self, item: EvidenceItem, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_case()
        data = validated_input(EvidenceWriteSerializer, request)
        item = evidence_services.evidence_add(case=case, by=request.user, **data)
        return self._respond(item, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, partial: bool = False, **kwargs: Any) -> Response:
        item = self.get_object()
        data = validated_input(EvidenceWriteSerializer, request, partial=partial)
        item = evidence_services.evidence_update(item=item, by=request.user, data=data)
        return self._respond(item)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        evidence_services.evidence_remove(item=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[CASE_ID], request=EvidenceReorderSerializer, responses=EvidenceItemSerializer(many=True))
    @action(detail=False, methods=["post"])
    def reorder(self, request: Request, case_id: str | None = None) -> Response:
        case = self.get_case()
        data = validated_input(EvidenceReorderSerializer, request)
        evidence_services.evidence_reorder(case=case, by=request.user, order=data["order"], group=data.get("group"))
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(parameters=[CASE_ID], request=EvidenceSubmitSerializer,
                   responses={201: EvidenceSubmissionSerializer})
    @action(detail=False, methods=["post"])
    def submit(self, request: Request, case_id: str | None = None) -> Response:
        """Record that the items not yet filed were filed on ``submitted_on``; late ones are flagged (ALL 34)."""
        case = self.get_case()
        data = validated_input(EvidenceSubmitSerializer, request)
        submission = evidence_services.evidence_submit(case=case, by=request.user, **data)
        return Response(EvidenceSubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)


class GenerateQuerySerializer(serializers.Serializer):
    hearing = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False,
                                       help_text=_("出庭通知、情况说明所针对的开庭(默认:下一次开庭)。"))
    agents = serializers.CharField(required=False, max_length=200,
                                   help_text=_("授权委托书的受委托人:本机关工作人员的用户 id,以逗号分隔。"))
    lawyers = serializers.ListField(child=serializers.CharField(max_length=300), required=False, max_length=2,
                                    help_text=_("授权委托书的受委托律师:姓名|律师事务所|电话,可重复。"))
    authority = serializers.ChoiceField(choices=AgentAuthority.choices, default=AgentAuthority.GENERAL)


def _ids(text: str) -> list[int]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not all(part.isdigit() and len(part) < 11 for part in parts):
        raise serializers.ValidationError({"agents": [_("请填写以逗号分隔的用户 id。")]})
    return [int(part) for part in parts]


def filing_options(case: Case, query: dict[str, Any]) -> FilingOptions:
    """The generation choices from the query; hearings and agents only of the case and its agency."""
    hearing = None
    if query.get("hearing"):
        hearing = Hearing.objects.filter(case=case, archived_at__isnull=True, pk=query["hearing"]).first()
        if hearing is None:
            raise serializers.ValidationError({"hearing": [_("该案件没有这次开庭。")]})
    agent_ids = _ids(query.get("agents", ""))
    agents = list(User.objects.filter(pk__in=agent_ids, membership__agency_id=case.agency_id)
                  .select_related("membership").order_by("pk"))
    if len(agents) != len(set(agent_ids)):
        raise serializers.ValidationError({"agents": [_("受委托的工作人员必须是该机关的人员。")]})
    lawyers = []
    for text in query.get("lawyers", []):
        name, firm, phone = ([*text.split("|"), "", ""])[:3]
        if not name.strip():
            raise serializers.ValidationError({"lawyers": [_("请填写律师姓名。")]})
        lawyers.append(Lawyer(name.strip(), firm.strip(), phone.strip()))
    return FilingOptions(hearing=hearing, agents=agents, lawyers=lawyers, authority=query["authority"])


def query_of(request: Request) -> dict[str, Any]:
    raw = {key: request.query_params.get(key) for key in ("hearing", "agents", "authority")
           if request.query_params.get(key) not in (None, "")}
    if request.query_params.getlist("lawyers"):
        raw["lawyers"] = request.query_params.getlist("lawyers")
    query = GenerateQuerySerializer(data=raw)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


class FilingViewSet(ScopedViewSet):
    """GET a filing generated from the case as DOCX; the template codes are public (FilingCode)."""

    renderer_classes = [JSONRenderer, DocxRenderer]

    @extend_schema(
        parameters=[CASE_ID, GenerateQuerySerializer,
                    OpenApiParameter("template", OpenApiTypes.STR, OpenApiParameter.PATH, enum=FilingCode.values)],
        responses={(200, DOCX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def generate(self, request: Request, case_id: str, template: str) -> HttpResponse:
        case = _case(request, case_id)
        if template not in FilingCode.values:
            raise Http404
        data = filing_render(case=case, code=template, options=filing_options(case, query_of(request)))
        response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = _attachment(filing_filename(case, template))
        return response


def _attachment(filename: str) -> str:
    return f"attachment; filename=\"filing.docx\"; filename*=UTF-8''{quote(filename)}"

