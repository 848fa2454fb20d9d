"""Serializers of the yearly figures and report snapshots: they describe the figures' JSON for
the schema; the roll-up (cases.querysets.statistics) builds it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from cases.models import YearlyReport
from cases.querysets.statistics import MAX_YEAR, MIN_YEAR
from casetracker.report import BUCKET_KEYS, CORRECTIVE_ACTION_KEYS, FOLLOW_UP_KEYS, GROUND_KEYS, RATE_KEYS


class RateSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text=_("分子/分母,0-1 的小数(4 位);分母为 0 时为 null"))


class BucketsSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {key: serializers.IntegerField() for key in BUCKET_KEYS}


class KindBucketsSerializer(BucketsSerializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {"total": serializers.IntegerField(), **super().get_fields()}


class ByKindSerializer(serializers.Serializer):
    reconsideration = KindBucketsSerializer()
    litigation = KindBucketsSerializer()


class RatesSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {key: RateSerializer() for key in RATE_KEYS}


def _counts(keys: tuple[str, ...], name: str) -> type[serializers.Serializer]:
    return type(name, (serializers.Serializer,), {key: serializers.IntegerField() for key in keys})


GroundsSerializer = _counts(GROUND_KEYS, "GroundsSerializer")
FollowUpFiguresSerializer = _counts(FOLLOW_UP_KEYS, "FollowUpFiguresSerializer")
CorrectiveActionFiguresSerializer = _counts(CORRECTIVE_ACTION_KEYS, "CorrectiveActionFiguresSerializer")


class YearlyStatisticsSerializer(serializers.Serializer):
    """DOMAIN.md D2-D4 for one year; the same object as `manage.py yearly_stats --format json`."""

    year = serializers.IntegerField()
    agency = serializers.CharField(allow_null=True, help_text=_("机关代码;全部机关时为 null"))
    total = serializers.IntegerField()
    buckets = BucketsSerializer()
    by_kind = ByKindSerializer()
    by_subject = serializers.DictField(child=KindBucketsSerializer(), help_text=_("按案由代码(D8)"))
    rates = RatesSerializer()
    grounds = GroundsSerializer(help_text=_("纠错/败诉案件按理由代码计数(D12)"))
    follow_ups = FollowUpFiguresSerializer(help_text=_("检察建议、司法建议、行政复议意见书:收到、答复、按期答复、年末未答复"))
    corrective_actions = CorrectiveActionFiguresSerializer(help_text=_("整改措施:年内到期、其中已完成"))


class StatisticsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    agency = serializers.SlugField(required=False, help_text=_("机关代码,默认为本人所在机关"))
    with_children = serializers.BooleanField(required=False, default=False)


class ReportLinksSerializer(serializers.Serializer):
    xlsx = serializers.URLField()
    docx = serializers.URLField()


class YearlyReportSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    generated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    figures = YearlyStatisticsSerializer(read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = YearlyReport
        fields = [
            "id", "agency", "agency_name", "year", "version", "kind", "figures", "text_zh", "text_en",
            "generated_at", "generated_by", "generated_by_job", "links",
        ]
        read_only_fields = fields

    @extend_schema(responses=ReportLinksSerializer)
    def get_links(self, report: YearlyReport) -> dict[str, str]:
        request = self.context.get("request")
        links = {ext: reverse(f"api:yearly-report-{ext}", args=[report.pk]) for ext in ("xlsx", "docx")}
        return {k: request.build_absolute_uri(v) if request else v for k, v in links.items()}


class ReportGenerateSerializer(serializers.Serializer):
    agency = serializers.SlugField()
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)


class ReportChangeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("如 buckets.pending、rates.loss.numerator"))
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class ReportDiffQuerySerializer(serializers.Serializer):
    against = serializers.IntegerField(min_value=1, help_text=_("另一版本报告的 id"))


class ReportDiffSerializer(serializers.Serializer):
    before = serializers.IntegerField(help_text=_("旧版本报告 id"))
    after = serializers.IntegerField(help_text=_("新版本报告 id"))
    changes = ReportChangeSerializer(many=True)
