"""The admin site: for administrators only (legal staff and leaders work in the tracker's pages).

Anyone else who is signed in gets the tracker's own 403 page on every admin URL; someone
not signed in is sent to the tracker's login page (never the admin's, so every login
passes the same lockout). config/urls.py mounts this site, not django.contrib.admin.site;
every ModelAdmin of the tracker registers here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.permissions import is_admin


class TrackerAdminSite(admin.AdminSite):
    site_header = gettext_lazy("案件管理后台")
    site_title = gettext_lazy("案件管理后台")
    index_title = gettext_lazy("系统管理")
    site_url = "/"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and is_admin(request.user))

    def _refuse_non_administrators(self, request: HttpRequest) -> None:
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied(_("管理后台仅供系统管理员使用。"))

    def admin_view(self, view: Callable[..., HttpResponse], cacheable: bool = False) -> Callable[..., HttpResponse]:
        protected = super().admin_view(view, cacheable)

        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            self._refuse_non_administrators(request)
            return protected(request, *args, **kwargs)

        return update_wrapper(inner, protected)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """No login form of its own: the tracker's login page (with its lockout) serves the admin too."""
        self._refuse_non_administrators(request)
        index = reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return redirect(index)
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or index)


site = TrackerAdminSite()
site.register(Group, GroupAdmin)
