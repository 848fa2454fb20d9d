from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from cases.api import views
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

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("auth/token/", views.ObtainAuthToken.as_view(), name="api-token"),
    path("statistics/yearly/", YearlyStatisticsView.as_view(), name="statistics-yearly"),
    # Before the router: its format-suffix routes would read "export.xlsx" as case "export" in format xlsx.
    path("cases/export.xlsx", CaseExportView.as_view(), name="case-export"),
    path("imports/", LedgerImportView.as_view(), name="ledger-import"),
    path("", include(router.urls)),
    # Last: any other /api/... path is this API's JSON 404, not the site's HTML page.
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
