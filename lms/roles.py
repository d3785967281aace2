"""The four roles, as Django groups, and the model permissions each one carries.

Groups are (re)synchronised after every ``migrate`` so a new permission added by a
later app lands in its role without a manual step. Object-level rules (whose data
a person may see) are not here but in ``lms.policy``.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group, Permission

logger = logging.getLogger(__name__)

STAFF = "Staff"
TRAINERS = "Trainers"
HR = "HR"
ADMINISTRATORS = "Administrators"
ALL_ROLES = (STAFF, TRAINERS, HR, ADMINISTRATORS)

# Model permissions per role ("app_label.codename"). Administrators get every permission.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    STAFF: [],
    TRAINERS: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        # courses: trainers translate the courses they write (Wagtail simple translation)
        "simple_translation.submit_translation",
    ],
    # HR reads through the reports pages, which are scoped to their subtrees by lms.policy;
    # model-wide "view" permissions would show them every unit's people in the admin.
    HR: [],
}


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """post_migrate fires once per app; act after the last one, when every permission exists."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if with_models and sender.label == with_models[-1].label:
        sync_roles()


def sync_roles() -> None:
    """Create the groups and give them their permissions; safe to run any number of times."""
    for role in ALL_ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        if role == ADMINISTRATORS:
            group.permissions.set(Permission.objects.all())
            continue
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is None:
                logger.warning("Role %s: permission %s does not exist (yet)", role, dotted)
                continue
            wanted.append(perm)
        group.permissions.add(*wanted)
