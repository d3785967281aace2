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
        "h5p.add_h5pactivity",
        "h5p.change_h5pactivity",
        "h5p.view_h5pactivity",
    ],
    # HR reads through the reports pages, which are scoped to their subtrees by lms.policy;
    # model-wide "view" permissions would show them every unit's people in the admin.
    HR: [],
}

# Permissions on the root collection (so on every collection): trainers upload and choose the images and
# documents of lessons (walkthrough screenshots, media in question stems) and edit what is there.
ROLE_COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    TRAINERS: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
}


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """post_migrate fires once per app; act after the last one, when every permission exists."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if with_models and sender.label == with_models[-1].label:
        sync_roles()
        site_name_ensure()


def site_name_ensure() -> None:
    """Sites without a name are named WAGTAIL_SITE_NAME: the admin dashboard titles itself with the site's
    name and fell back on its host name ("localhost")."""
    from django.conf import settings
    from django.db.models import Q
    from wagtail.models import Site

    Site.objects.filter(Q(site_name="") | Q(site_name__isnull=True)).update(site_name=settings.WAGTAIL_SITE_NAME)


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
        if role in ROLE_COLLECTION_PERMISSIONS:
            _grant_on_root_collection(group, ROLE_COLLECTION_PERMISSIONS[role])


def _grant_on_root_collection(group: Group, dotted_names: list[str]) -> None:
    """Images and documents are permitted per collection: a group-wide ``add_image`` alone gives no upload."""
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    for dotted in dotted_names:
        app_label, codename = dotted.split(".", 1)
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is not None:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=perm)
