"""Who may do what: the one place HocSo decides access.

Every view, admin page and API call asks ``can(user, action, obj)``. Rules are
plain functions registered per action; an action nobody registered, an anonymous
user or an inactive account is denied. Querysets that must be narrowed to what a
user may see (units, people) come from the ``visible_*`` helpers, built on the
same rules so lists and detail pages never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from . import roles
from .models import StaffProfile, Unit

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"Rule for {action!r} registered twice")
        _RULES[action] = fn
        return fn

    return register


def registered_actions() -> list[str]:
    return sorted(_RULES)


def can(user, action: str, obj: Any = None) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    check = _RULES.get(action)
    if check is None:
        return False
    return bool(check(user, obj))


# ---- facts about a user, cached on the user object for the request ----


def role_names(user) -> frozenset[str]:
    cached = getattr(user, "_hocso_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.pk else frozenset()
        user._hocso_roles = cached
    return cached


def is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or roles.ADMINISTRATORS in role_names(user)))


def is_trainer(user) -> bool:
    return is_admin(user) or roles.TRAINERS in role_names(user)


def hr_roots(user) -> list[Unit]:
    """The roots of the subtrees this user is HR for (empty for everyone else)."""
    cached = getattr(user, "_hocso_hr_roots", None)
    if cached is None:
        cached = list(Unit.objects.filter(hr_scopes__user=user)) if user.pk else []
        user._hocso_hr_roots = cached
    return cached


def is_hr(user) -> bool:
    return bool(hr_roots(user)) and roles.HR in role_names(user)


def profile_of(user) -> StaffProfile | None:
    try:
        return user.staff_profile
    except (StaffProfile.DoesNotExist, AttributeError):
        return None


def unit_in_hr_scope(user, unit: Unit) -> bool:
    return is_hr(user) and any(unit.path.startswith(root.path) for root in hr_roots(user))


# ---- querysets narrowed to what a user may see ----


def visible_units(user) -> QuerySet[Unit]:
    """Administrators: every unit. HR: their subtrees. Staff: their own unit and its ancestors."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Unit.objects.none()
    if is_admin(user):
        return Unit.objects.all()
    qs = Unit.objects.none()
    if is_hr(user):
        qs = Unit.objects.within_any(hr_roots(user))
    profile = profile_of(user)
    if profile is not None:
        own = Unit.objects.filter(pk__in=profile.unit.ancestor_ids())
        qs = qs | own
    return qs


def reportable_units(user) -> QuerySet[Unit]:
    """Units whose people's data the user may report on: admins all, HR their subtrees."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Unit.objects.none()
    if is_admin(user):
        return Unit.objects.all()
    if is_hr(user):
        return Unit.objects.within_any(hr_roots(user))
    return Unit.objects.none()


def visible_people(user) -> QuerySet[StaffProfile]:
    """People whose records the user may open: themselves, plus their HR scope, or everyone for admins."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return StaffProfile.objects.none()
    if is_admin(user):
        return StaffProfile.objects.all()
    qs = StaffProfile.objects.filter(user=user)
    if is_hr(user):
        qs = qs | StaffProfile.objects.filter(unit__in=reportable_units(user))
    return qs


# ---- rules ----


@rule("org.view_unit")
def _view_unit(user, unit: Unit) -> bool:
    if not isinstance(unit, Unit):
        return False
    if is_admin(user) or unit_in_hr_scope(user, unit):
        return True
    profile = profile_of(user)
    return profile is not None and unit.pk in profile.unit.ancestor_ids()


@rule("org.view_person")
def _view_person(user, person: StaffProfile) -> bool:
    if not isinstance(person, StaffProfile):
        return False
    return is_admin(user) or person.user_id == user.pk or unit_in_hr_scope(user, person.unit)


@rule("org.import_staff")
def _import_staff(user, _obj) -> bool:
    return is_admin(user)


@rule("org.import_units")
def _import_units(user, _obj) -> bool:
    return is_admin(user)


@rule("reports.view_unit")
def _report_unit(user, unit: Unit) -> bool:
    if not isinstance(unit, Unit):
        return False
    return is_admin(user) or unit_in_hr_scope(user, unit)


@rule("reports.access")
def _reports_access(user, _obj) -> bool:
    return is_admin(user) or is_hr(user)


@rule("courses.author")
def _author(user, _obj) -> bool:
    return is_trainer(user)


@rule("learning.take")
def _learn(user, _obj) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.is_active


# ---- H5P activities (courses.h5p) ----


@rule("h5p.play")
def _h5p_play(user, activity) -> bool:
    """Active learners play an activity that sits in a live lesson of a course they may view;
    trainers may always (preview). See ``courses.h5p.selectors.activity_playable``."""
    from courses.h5p.selectors import activity_playable

    profile = profile_of(user)
    return profile is not None and profile.is_active and activity_playable(user, activity)


@rule("h5p.view_results")
def _h5p_results(user, _activity) -> bool:
    return is_trainer(user)


# ---- SCORM activities (courses.scorm) ----


@rule("scorm.play")
def _scorm_play(user, activity) -> bool:
    """As H5P: active learners, for an activity in a live lesson of a course they may view; trainers (preview)."""
    from courses.scorm.selectors import activity_playable

    profile = profile_of(user)
    return profile is not None and profile.is_active and activity_playable(user, activity)


@rule("scorm.view_results")
def _scorm_results(user, _activity) -> bool:
    return is_trainer(user)


# ---- competencies (assessments) ----


@rule("competency.view_person")
def _competency_view_person(user, person: StaffProfile) -> bool:
    """A person's competency scores and evidence: themselves, HR of their unit's subtree, administrators."""
    return _view_person(user, person)


@rule("competency.view_evidence")
def _competency_view_evidence(user, evidence) -> bool:
    """One evidence row and the source it points at (attempt, assessment): whoever may see the person's evidence."""
    person = getattr(evidence, "person", None)
    return isinstance(person, StaffProfile) and _view_person(user, person)


@rule("competency.assess_manually")
def _competency_assess(user, person) -> bool:
    """Trainers record practical assessments for active staff, never for themselves. ``None`` asks "at all?"."""
    if not is_trainer(user):
        return False
    if person is None:
        return True
    return isinstance(person, StaffProfile) and person.is_active and person.user_id != user.pk


# ---- courses (the learner's own records; HR within their subtrees) ----


@rule("courses.view_lesson")
def _view_lesson(user, access) -> bool:
    """``access`` is a ``courses.views.LessonAccess``: the course and the learner's enrolment (or None)."""
    if access is None:
        return False
    profile = profile_of(user)
    if profile is not None and profile.is_active and (access.course.open_access or access.enrolment is not None):
        return True
    return is_trainer(user)


@rule("courses.enrol")
def _enrol(user, _course) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.is_active


@rule("courses.assign")
def _assign(user, unit) -> bool:
    """Trainers and administrators assign anywhere (``None`` = ministry-wide); HR only within their subtrees."""
    if is_trainer(user):
        return True
    return isinstance(unit, Unit) and unit_in_hr_scope(user, unit)


@rule("courses.view_assignment")
def _view_assignment(user, assignment) -> bool:
    if is_trainer(user):
        return True
    if getattr(assignment, "created_by_id", None) == user.pk:
        return True
    units = list(assignment.units.all()) if assignment is not None else []
    return bool(units) and all(unit_in_hr_scope(user, u) for u in units)


@rule("courses.view_progress")
def _view_progress(user, person) -> bool:
    return _view_person(user, person)


@rule("courses.view_certificate")
def _view_certificate(user, certificate) -> bool:
    person = getattr(certificate, "person", None)
    return _view_progress(user, person)


# ---- quizzes ----


@rule("quizzes.take")
def _take_quiz(user, quiz) -> bool:
    """Active staff enrolled in the quiz's course (or the course is open to everyone); trainers may try it."""
    from assessments.quizzes.selectors import person_may_take

    profile = profile_of(user)
    if profile is None or not profile.is_active or quiz is None or not quiz.live:
        return False
    return is_trainer(user) or person_may_take(person=profile, quiz=quiz)


@rule("quizzes.manage_any")
def _manage_any_quiz(user, _obj) -> bool:
    return is_trainer(user)


@rule("quizzes.manage")
def _manage_quiz(user, quiz) -> bool:
    """Results, regrade, export and item analysis: administrators, and trainers who may edit the quiz page."""
    if quiz is None:
        return False
    if is_admin(user):
        return True
    return is_trainer(user) and quiz.permissions_for_user(user).can_edit()


# ---- accounts (lms.accounts) ----


@rule("accounts.reset_second_factor")
def _reset_second_factor(user, _target) -> bool:
    """Administrators remove a person's second factor when the device is lost (audited)."""
    return is_admin(user)


@rule("accounts.invite")
def _invite(user, person) -> bool:
    """Invite (or re-invite) imported staff: administrators anyone, HR the people of their subtrees.
    ``None`` asks "may invite anybody at all?"; a Unit asks for its whole subtree."""
    if is_admin(user):
        return True
    if person is None:
        return is_hr(user)
    if isinstance(person, Unit):
        return unit_in_hr_scope(user, person)
    return isinstance(person, StaffProfile) and unit_in_hr_scope(user, person.unit)


# ---- diagnostic placement (assessments.placement) ----


@rule("placement.take")
def _take_placement(user, _form) -> bool:
    """Every active staff member may take a published placement test."""
    profile = profile_of(user)
    return profile is not None and profile.is_active


@rule("placement.manage")
def _manage_placement(user, _obj) -> bool:
    """Item parameters, fit flags and calibration: trainers and administrators."""
    return is_trainer(user)


@rule("placement.campaign")
def _placement_campaign(user, unit) -> bool:
    """Assign the diagnostic (a campaign) like training, but by HR: administrators anywhere (``None`` =
    ministry-wide by position), HR only within their subtrees. Trainers author the test, they do not assign it."""
    if is_admin(user):
        return True
    return isinstance(unit, Unit) and unit_in_hr_scope(user, unit)


@rule("placement.view_campaign")
def _placement_view_campaign(user, campaign) -> bool:
    """Administrators, the campaign's author, and HR responsible for every unit it names."""
    if is_admin(user):
        return True
    if campaign is None or not is_hr(user):
        return False
    if getattr(campaign, "created_by_id", None) == user.pk:
        return True
    units = list(campaign.units.all())
    return bool(units) and all(unit_in_hr_scope(user, u) for u in units)


# ---- the learning record store (assessments.xapi) ----


@rule("xapi.manage")
def _xapi_manage(user, _obj) -> bool:
    """Administrators issue and revoke LRS credentials, map activities to competencies and replay
    forwarding's dead letters."""
    return is_admin(user)
