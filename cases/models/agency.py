"""Agencies and the people who work in them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import RESPONSIBLE_RANKS, LeaderRank, Role
from cases.models.text import PlainText
from cases.people import person_name
from cases.querysets.agencies import AgencyQuerySet, MembershipQuerySet


class Agency(PlainText):
    """A government agency (e.g. a city HRSS bureau) that defends its acts."""

    name = models.CharField(_("名称"), max_length=200)
    code = models.SlugField(_("代码"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    webhook_url = models.URLField(_("群机器人 Webhook"), blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    # Materialized path of ids from the root, "/1/5/12/": a subtree is one indexed prefix
    # query (descendant_ids; docs/statistics.md). Kept by save() for the agency and, when it
    # moves, for everything below it.
    path = models.CharField(_("层级路径"), max_length=255, blank=True, editable=False, db_index=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="agency_not_own_parent",
                violation_error_message=_("机关不能是自己的上级机关。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        parent_path = "/"
        if self.parent_id is not None:
            parent_path = Agency.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or "/"
        path, old = f"{parent_path}{self.pk}/", self.path
        if path != old:
            # A plain UPDATE: the path is derived, not a change people made (no history row).
            Agency.objects.filter(pk=self.pk).update(path=path)
            if old:
                Agency.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                    path=Concat(Value(path), Substr("path", len(old) + 1))
                )
            self.path = path

    def descendant_ids(self) -> set[int]:
        """This agency and every agency below it (a bureau's sub-agencies): one query on the path."""
        if self.path:
            return set(Agency.objects.filter(path__startswith=self.path).values_list("id", flat=True)) | {self.pk}
        ids = {self.pk}
        frontier = {self.pk}
        while frontier:
            frontier = set(
                Agency.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
            ) - ids
            ids |= frontier
        return ids


    def subtree_ids(self) -> set[int] | None:
        """``descendant_ids()``, or None when the subtree is every agency (the only root, a
        national body): a roll-up then needs no agency filter at all. One query either way:
        a root reads its subtree together with the other roots, if any."""
        if self.parent_id is not None or not self.path:
            return self.descendant_ids()
        rows = Agency.objects.filter(Q(path__startswith=self.path) | Q(parent__isnull=True)).values_list(
            "id", "path"
        )
        ids, other_root = set(), False
        for pk, path in rows:
            if path.startswith(self.path):
                ids.add(pk)
            else:
                other_root = True
        return (ids | {self.pk}) if other_root else None


class Membership(PlainText):
    """A user's place in one agency: their role and, for leaders, their rank."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="members"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.STAFF)
    leader_rank = models.CharField(
        _("领导职级"), max_length=20, choices=LeaderRank.choices, blank=True
    )
    title = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    webhook_mention = models.CharField(_("群机器人@手机号"), max_length=40, blank=True)
    wants_digest = models.BooleanField(_("每日汇总提醒"), default=False)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.LEADER, leader_rank__in=LeaderRank.values)
                | (~Q(role=Role.LEADER) & Q(leader_rank="")),
                name="membership_rank_only_for_leaders",
                violation_error_message=_("负责人必须填写领导职级,其他角色不填。"),
            )
        ]

    def __str__(self) -> str:
        return f"{person_name(self.user)} ({self.agency.code})"

    @property
    def is_responsible_person(self) -> bool:
        """SPC20 Art. 2: whether this person counts as the agency's 负责人."""
        return self.role == Role.LEADER and self.leader_rank in RESPONSIBLE_RANKS
