"""Authoring set-up: trainers' page permissions on the catalogue and the peer-review workflow."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from lms import roles

from ..models import PeerReviewTask

# Trainers edit and submit for review; publishing happens when a second trainer approves.
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]
# Wagtail shows a workflow's and a task's name as stored, in every admin language: so they are stored in both
# ("Submit to …", the status panel, the moderation list).
WORKFLOW_NAME = "Duyệt khoá học · Course review"
TASK_NAME = "Giảng viên thứ hai duyệt · Second trainer review"
_FORMER_NAMES = {WORKFLOW_NAME: "Course review", TASK_NAME: "Second trainer review"}


@transaction.atomic
def catalogue_authoring_setup(*, catalogue: Page) -> Workflow:
    """Give Trainers page permissions on the catalogue subtree (no publish) and attach the review workflow.

    Safe to run any number of times.
    """
    trainers, _created = Group.objects.get_or_create(name=roles.TRAINERS)
    for codename in TRAINER_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=trainers, page=catalogue, permission=permission)
    task = PeerReviewTask.objects.filter(name__in=[TASK_NAME, _FORMER_NAMES[TASK_NAME]]).order_by("pk").first()
    if task is None:
        task = PeerReviewTask.objects.create(name=TASK_NAME)
    elif task.name != TASK_NAME:
        task.name = TASK_NAME
        task.save(update_fields=["name"])
    task.groups.add(trainers)
    workflow = Workflow.objects.filter(name__in=[WORKFLOW_NAME, _FORMER_NAMES[WORKFLOW_NAME]]).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
    elif workflow.name != WORKFLOW_NAME:
        workflow.name = WORKFLOW_NAME
        workflow.save(update_fields=["name"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in [catalogue, *catalogue.get_translations()]:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow
