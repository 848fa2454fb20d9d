"""Issue 17: an agency's subtree is one indexed prefix query on its materialized path."""

from __future__ import annotations

import pytest

from cases.models import Agency
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_an_agency_below_a_province_below_the_root_has_the_path_of_ids_from_the_root():
    root = AgencyFactory(code="root")
    province = AgencyFactory(code="gx", parent=root)
    city = AgencyFactory(code="wz", parent=province)
    assert Agency.objects.get(pk=city.pk).path == f"/{root.pk}/{province.pk}/{city.pk}/"


def test_a_subtree_four_levels_deep_is_resolved_in_one_query(django_assert_num_queries):
    root = AgencyFactory(code="root")
    level = [root]
    for depth in range(3):
        level = [AgencyFactory(code=f"l{depth}-{n}-{i}", parent=parent) for n, parent in enumerate(level) for i in range(2)]
    root = Agency.objects.get(pk=root.pk)
    with django_assert_num_queries(1):
        assert len(root.descendant_ids()) == 1 + 2 + 4 + 8


def test_moving_an_agency_moves_everything_below_it():
    old, new = AgencyFactory(code="old"), AgencyFactory(code="new")
    city = AgencyFactory(code="city", parent=old)
    bureau = AgencyFactory(code="bureau", parent=city)
    city.parent = new
    city.save()
    assert Agency.objects.get(pk=bureau.pk).path == f"/{new.pk}/{city.pk}/{bureau.pk}/"
    assert Agency.objects.get(pk=new.pk).descendant_ids() == {new.pk, city.pk, bureau.pk}
    assert Agency.objects.get(pk=old.pk).descendant_ids() == {old.pk}


def test_the_subtree_of_the_only_root_is_every_agency_and_needs_no_filter(django_assert_num_queries):
    root = AgencyFactory(code="root")
    province = AgencyFactory(code="gx", parent=root)
    with django_assert_num_queries(1):
        assert root.subtree_ids() is None
    assert province.subtree_ids() == {province.pk}


def test_a_root_beside_another_root_is_a_subtree_of_its_own():
    root, other = AgencyFactory(code="root"), AgencyFactory(code="other")
    child = AgencyFactory(code="child", parent=root)
    assert root.subtree_ids() == {root.pk, child.pk}
    assert other.subtree_ids() == {other.pk}
