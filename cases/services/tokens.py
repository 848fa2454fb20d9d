"""API tokens (``Authorization: Token ...``): the only credential besides the password that opens the API.

A token ends when its owner revokes it (``DELETE /api/auth/token/`` or the 我的 API 令牌 page),
when the password changes (``PasswordChangeRevokesTokens``, wherever the password is set) and
when an administrator deactivates the account (``user_credentials_revoke``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token


def api_tokens_of(*, user: Any) -> list[Token]:
    """The user's live API tokens (DRF keeps at most one per user)."""
    return list(Token.objects.filter(user=user))


@transaction.atomic
def api_token_revoke(*, user: Any) -> int:
    """End the user's API tokens; scripts using them get 401 from the next request. Returns how many ended."""
    deleted, _per_model = Token.objects.filter(user=user).delete()
    return int(deleted)


class PasswordChangeRevokesTokens:
    """Ends the API tokens whenever a password is set: the tracker's page, the admin, ``changepassword``.

    Django calls ``password_changed`` of every configured password validator after saving a
    user whose password was set (``AbstractBaseUser.save``), which is the one place every
    password change passes through. It checks nothing about the password itself.
    """

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            api_token_revoke(user=user)

    def get_help_text(self) -> str:
        return _("修改密码后,已发放的 API 令牌全部失效。")
