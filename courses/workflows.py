"""What happens when a review workflow is approved (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail's default publishes as the approving user and so requires approvers to hold the
"publish" page permission, which would also let them publish without any review. Here the
approval itself is the permission check (the task's ``get_actions``/``on_action``, e.g.
``courses.PeerReviewTask``), so trainers can approve each other's courses yet never publish
their own directly.
"""


def publish_after_review(workflow_state, user=None):
    workflow_state.content_object.get_latest_revision().publish(user=user, skip_permission_checks=True)
