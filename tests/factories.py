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


# HR and Administrators must have a second factor (lms.accounts.second_factor): the factories enrol them with
# this TOTP secret so ``client.force_login`` keeps working. Pass ``second_factor=False`` for someone who has not
# enrolled yet.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ROLES_NEEDING_SECOND_FACTOR = {roles.HR, roles.ADMINISTRATORS}


def enrol_second_factor(user, secret: str = TOTP_SECRET) -> tuple[str, list[str]]:
    """A TOTP authenticator and recovery codes for ``user``; returns the secret and the recovery codes."""
    from lms.accounts.second_factor import totp_enrol

    return totp_enrol(user=user, secret=secret)


def totp_code(user_or_secret=TOTP_SECRET) -> str:
    """The code an authenticator app shows now, for a user (their stored secret) or a secret."""
    from lms.accounts.second_factor import totp_code as code_for
    from lms.accounts.second_factor import totp_secret_of

    secret = user_or_secret if isinstance(user_or_secret, str) else totp_secret_of(user_or_secret)
    return code_for(secret)


def make_person(
    username: str,
    unit: Unit,
    *,
    role: str = roles.STAFF,
    position: str = "Chuyên viên",
    full_name: str | None = None,
    second_factor: bool | None = None,
    **profile,
) -> StaffProfile:
    user = UserFactory(username=username)
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if second_factor if second_factor is not None else role in ROLES_NEEDING_SECOND_FACTOR:
        enrol_second_factor(user)
    return StaffProfile.objects.create(
        user=user,
        employee_number=f"E-{username}",
        full_name=full_name or f"Nguyễn Văn {username}",
        unit=unit,
        position=position,
        **profile,
    )


def make_hr(username: str, unit_home: Unit, *scope_roots: Unit, second_factor: bool = True) -> StaffProfile:
    person = make_person(username, unit_home, role=roles.HR, second_factor=second_factor)
    for root in scope_roots:
        HRScope.objects.create(user=person.user, unit=root)
    return person


def make_admin(username: str = "boss", *, second_factor: bool = True):
    user = UserFactory(username=username)
    group, _ = Group.objects.get_or_create(name=roles.ADMINISTRATORS)
    user.groups.add(group)
    if second_factor:
        enrol_second_factor(user)
    return user


# Evidence must point at a real source (assessments.sources.registry). Tests about scoring mechanics, not
# about sources, name their sources ("quiz-attempt:8") and get a real one per name and person: a manual
# assessment row (source "manual"). Cleared between tests by tests/conftest.py.
_SOURCES: dict[tuple[int, str], str] = {}


def source_ref(person: StaffProfile, name: str = "1") -> str:
    """A real evidence source of ``person`` (a manual assessment), the same for the same name in a test."""
    key = (person.pk, str(name))
    if key not in _SOURCES:
        from django.utils import timezone

        from assessments.models import Competency
        from assessments.sources.models import ManualAssessment

        assessment = ManualAssessment.objects.create(
            person=person,
            competency=Competency.objects.order_by("pk").first(),
            score=0.5,
            observed_at=timezone.now(),
            note=f"test source {name}",
            assessor_name="test",
        )
        _SOURCES[key] = assessment.source_ref
    return _SOURCES[key]
