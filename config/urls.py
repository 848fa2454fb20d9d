from django.conf import settings
from django.urls import include, path

from cases.admin import site as admin_site
from cases.web.views import account

urlpatterns = [
    path("admin/", admin_site.urls),
    path("accounts/password_change/", account.password_change, name="password_change"),
    path("accounts/password_change/done/", account.password_change_done, name="password_change_done"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("cases.api.urls")),
    path("", include("cases.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
