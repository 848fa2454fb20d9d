from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from cases.api import views
from cases.api.views.evidence import EvidenceViewSet, FilingViewSet
from cases.api.views.followups import FollowUpViewSet
from cases.api.views.imports import CaseExportView, LedgerImportView
from cases.api.views.notifications import NotificationViewSet
from cases.api.views.reports import YearlyReportViewSet, YearlyStatisticsView

# The API's URL names live in the "api" namespace ("api:case-detail"): the web pages
# use the same plain names ("case-detail") for their own views.
app_name = "api"

router = DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("people", views.PersonViewSet, basename="person")
router.register("cases", views.CaseViewSet, basename="case")
router.register("hearings", views.HearingViewSet, basename="hearing")
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
router.register("deadline-rules", views.DeadlineRuleViewSet, basename="deadline-rule")
router.register("reports", YearlyReportViewSet, basename="yearly-report")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("auth/token/", views.ObtainAuthToken.as_view(), name="api-token"),
    path("statistics/yearly/", YearlyStatisticsView.as_view(), name="statistics-yearly"),
    # Before the router: its format-suffix routes would read "export.xlsx" as case "export" in format xlsx.
    path("cases/export.xlsx", CaseExportView.as_view(), name="case-export"),
    path("imports/", LedgerImportView.as_view(), name="ledger-import"),
    # The evidence list and filings of one case (cases/api/views/evidence.py), nested under the case.
    path("cases/<str:case_id>/evidence/", EvidenceViewSet.as_view({"get": "list", "post": "create"}),
         name="case-evidence-list"),
    path("cases/<str:case_id>/evidence/reorder/", EvidenceViewSet.as_view({"post": "reorder"}),
         name="case-evidence-reorder"),
    path("cases/<str:case_id>/evidence/submit/", EvidenceViewSet.as_view({"post": "submit"}),
         name="case-evidence-submit"),
    path("cases/<str:case_id>/evidence/<str:pk>/", EvidenceViewSet.as_view(
        {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}, detail=True),
        name="case-evidence-detail"),
    path("cases/<str:case_id>/documents/generate/<str:template>/", FilingViewSet.as_view({"get": "generate"}),
         name="case-filing-generate"),
    path("", include(router.urls)),
    # Last: any other /api/... path is this API's JSON 404, not the site's HTML page.
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
