"""The policy as a table: role × action × object → allowed?"""

import pytest
from django.contrib.auth.models import AnonymousUser

from lms import policy, roles
from tests.factories import UserFactory, make_admin, make_hr, make_person


@pytest.fixture
def people(org):
    return {
        "staff_fr": make_person("staff_fr", org["FR"]),
        "staff_jp": make_person("staff_jp", org["JP"]),
        "hr_eu": make_hr("hr_eu", org["VP"], org["EU"]),
        "hr_all": make_hr("hr_all", org["VP"], org["BNG"]),
        "trainer": make_person("trainer", org["VP"], role=roles.TRAINERS),
        "admin": make_admin(),
        "anon": AnonymousUser(),
        "no_profile": UserFactory(username="loose"),
    }


def actor(people, name):
    p = people[name]
    return p.user if hasattr(p, "user") else p


TABLE = [
    # actor, action, object, allowed
    ("staff_fr", "org.view_person", "staff_fr", True),
    ("staff_fr", "org.view_person", "staff_jp", False),
    ("staff_jp", "org.view_person", "staff_fr", False),
    ("hr_eu", "org.view_person", "staff_fr", True),
    ("hr_eu", "org.view_person", "staff_jp", False),
    ("hr_all", "org.view_person", "staff_jp", True),
    ("trainer", "org.view_person", "staff_fr", False),
    ("admin", "org.view_person", "staff_jp", True),
    ("anon", "org.view_person", "staff_fr", False),
    ("no_profile", "org.view_person", "staff_fr", False),
    ("hr_eu", "reports.view_unit", "unit:FR", True),
    ("hr_eu", "reports.view_unit", "unit:EU", True),
    ("hr_eu", "reports.view_unit", "unit:BNG", False),
    ("hr_eu", "reports.view_unit", "unit:JP", False),
    ("hr_all", "reports.view_unit", "unit:JP", True),
    ("staff_fr", "reports.view_unit", "unit:FR", False),
    ("admin", "reports.view_unit", "unit:JP", True),
    ("staff_fr", "reports.access", None, False),
    ("hr_eu", "reports.access", None, True),
    ("trainer", "reports.access", None, False),
    ("staff_fr", "org.view_unit", "unit:FR", True),
    ("staff_fr", "org.view_unit", "unit:BNG", True),  # an ancestor of their own unit
    ("staff_fr", "org.view_unit", "unit:DE", False),
    ("hr_eu", "org.view_unit", "unit:DE", True),
    ("staff_fr", "org.import_staff", None, False),
    ("hr_all", "org.import_staff", None, False),
    ("admin", "org.import_staff", None, True),
    ("trainer", "courses.author", None, True),
    ("staff_fr", "courses.author", None, False),
    ("admin", "courses.author", None, True),
    ("staff_fr", "learning.take", None, True),
    ("no_profile", "learning.take", None, False),
    ("hr_eu", "placement.campaign", "unit:FR", True),
    ("hr_eu", "placement.campaign", "unit:JP", False),
    ("hr_eu", "placement.campaign", None, False),  # ministry-wide by position: administrators only
    ("admin", "placement.campaign", None, True),
    ("trainer", "placement.campaign", "unit:FR", False),
    ("staff_fr", "placement.campaign", "unit:FR", False),
    ("staff_fr", "placement.view_campaign", None, False),
    ("admin", "no.such.action", None, False),
    ("staff_fr", "org.view_person", "unit:FR", False),  # wrong object type
]


@pytest.mark.parametrize(("who", "action", "obj", "allowed"), TABLE)
def test_policy_table(people, org, who, action, obj, allowed):
    if isinstance(obj, str) and obj.startswith("unit:"):
        target = org[obj.removeprefix("unit:")]
    elif obj is not None:
        target = people[obj]
    else:
        target = None
    assert policy.can(actor(people, who), action, target) is allowed


def test_inactive_user_is_denied_everything(people):
    user = people["admin"]
    user.is_active = False
    assert not policy.can(user, "org.import_staff")
    assert policy.visible_units(user).count() == 0


def test_hr_role_without_scope_sees_nothing(org):
    lonely = make_person("lonely_hr", org["VP"], role=roles.HR)
    assert not policy.is_hr(lonely.user)
    assert policy.reportable_units(lonely.user).count() == 0


def test_visible_units_and_people(people, org):
    staff_units = set(policy.visible_units(people["staff_fr"].user).values_list("code", flat=True))
    assert staff_units == {"BNG", "EU", "FR"}
    hr_units = set(policy.visible_units(people["hr_eu"].user).values_list("code", flat=True))
    assert hr_units == {"EU", "FR", "DE", "BNG", "VP"}  # subtree plus own unit's path
    assert set(policy.reportable_units(people["hr_eu"].user).values_list("code", flat=True)) == {"EU", "FR", "DE"}
    seen = set(policy.visible_people(people["hr_eu"].user).values_list("user__username", flat=True))
    assert seen == {"staff_fr", "hr_eu"}
    assert policy.visible_people(people["anon"]).count() == 0
    assert policy.visible_people(people["admin"]).count() == 5


def test_every_registered_action_denies_anonymous():
    for action in policy.registered_actions():
        assert policy.can(AnonymousUser(), action, None) is False


def test_roles_are_synced_after_migrate(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True)) == set(roles.ALL_ROLES)
    trainers = Group.objects.get(name=roles.TRAINERS)
    assert trainers.permissions.filter(codename="access_admin").exists()
    assert not Group.objects.get(name=roles.STAFF).permissions.exists()
