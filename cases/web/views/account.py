"""The signed-in user's own account: changing the password, and the API tokens issued to them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.services.tokens import api_token_revoke, api_tokens_of

# The tracker's own pages under the names django.contrib.auth.urls uses: the admin app comes
# first in INSTALLED_APPS, so "registration/password_change_form.html" would be the admin's.
password_change = auth_views.PasswordChangeView.as_view(template_name="account/password_change_form.html")
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="account/password_change_done.html")


@login_required
@require_GET
def api_tokens(request: HttpRequest) -> HttpResponse:
    return render(request, "account/api_tokens.html", {"tokens": api_tokens_of(user=request.user)})


@login_required
@require_POST
def api_tokens_revoke(request: HttpRequest) -> HttpResponse:
    if api_token_revoke(user=request.user):
        messages.success(request, _("API 令牌已作废;使用它的脚本需要重新获取令牌。"))
    return redirect("api-tokens")
