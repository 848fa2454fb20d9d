"""Domain errors raised by services; the API and pages map them to messages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class StaleVersion(Exception):
    """The record changed since the caller read it; nothing was saved."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(str(_("记录已被他人修改(当前版本 %(v)s),请刷新后重试。") % {"v": current_version}))
