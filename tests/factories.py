"""factory_boy factories: the shortest way for a test to say what it needs."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.choices import HearingKind, Kind, LeaderRank, Procedure, Role, Status, Subject
from cases.models import Agency, Case, Hearing, Membership


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"测试市人力资源和社会保障局{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "测"
    first_name = factory.Sequence(lambda n: f"试{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.STAFF
    leader_rank = ""


def member(agency: Agency | None = None, role: str = Role.STAFF, rank: str = "", **user_fields: object):
    """A user with a membership in the agency: `member(agency, Role.LEADER, LeaderRank.PRINCIPAL)`."""
    agency = agency or AgencyFactory()
    if role == Role.LEADER and not rank:
        rank = LeaderRank.PRINCIPAL
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, agency=agency, role=role, leader_rank=rank)
    return get_user_model().objects.select_related("membership__agency").get(pk=user.pk)


class CaseFactory(factory.django.DjangoModelFactory):
    """A pending ordinary first-instance lawsuit unless told otherwise (bypasses services)."""

    class Meta:
        model = Case

    agency = factory.SubFactory(AgencyFactory)
    kind = Kind.LITIGATION
    litigation_instance = factory.LazyAttribute(lambda o: "first" if o.kind == Kind.LITIGATION else "")
    procedure = Procedure.ORDINARY
    number = factory.Sequence(lambda n: f"(2021)桂0403行初{n + 1}号")
    reviewing_body = "梧州市万秀区人民法院"
    applicant = factory.Sequence(lambda n: f"原告{n}")
    subject = Subject.WORK_INJURY
    received_on = dt.date(2021, 3, 1)
    status = Status.PENDING


class ReconsiderationFactory(CaseFactory):
    kind = Kind.RECONSIDERATION
    number = factory.Sequence(lambda n: f"梧政复〔2021〕{n + 1}号")
    reviewing_body = "梧州市人民政府"


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    kind = HearingKind.COURT
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    place = "第一审判庭"


class DeadlineFactory(factory.django.DjangoModelFactory):
    """An open manual bureau deadline (bypasses services); pass due_on and the case you need."""

    class Meta:
        model = "cases.Deadline"

    case = factory.SubFactory(CaseFactory)
    rule = "manual"
    title = factory.Sequence(lambda n: f"提交答复材料{n}")
    due_on = dt.date(2025, 10, 9)
    is_bureau_duty = True
