import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from lms import roles
from lms.models import HRScope, StaffProfile, Unit
from lms.services.units import unit_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@mofa.example.vn")
    password = factory.django.Password("correct horse battery staple")


def make_unit(code: str, parent: Unit | None = None, kind: str = "department", name_vi: str | None = None) -> Unit:
    return unit_create(code=code, kind=kind, name_vi=name_vi or f"Đơn vị {code}", name_en=f"Unit {code}", parent=parent)


def make_person(
    username: str,
    unit: Unit,
    *,
    role: str = roles.STAFF,
    position: str = "Chuyên viên",
    full_name: str | None = None,
    **profile,
) -> StaffProfile:
    user = UserFactory(username=username)
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    return StaffProfile.objects.create(
        user=user,
        employee_number=f"E-{username}",
        full_name=full_name or f"Nguyễn Văn {username}",
        unit=unit,
        position=position,
        **profile,
    )


def make_hr(username: str, unit_home: Unit, *scope_roots: Unit) -> StaffProfile:
    person = make_person(username, unit_home, role=roles.HR)
    for root in scope_roots:
        HRScope.objects.create(user=person.user, unit=root)
    return person


def make_admin(username: str = "boss"):
    user = UserFactory(username=username)
    group, _ = Group.objects.get_or_create(name=roles.ADMINISTRATORS)
    user.groups.add(group)
    return user
