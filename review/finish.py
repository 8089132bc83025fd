"""Imported by wagtail.models while it loads, so it must import nothing at module level."""


def publish_approved(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: publish exactly the revision the final
    stage approved. Approving is the authority to publish, so reviewers need no
    separate "publish" permission (and so cannot publish around the workflow)."""
    task_state = workflow_state.current_task_state
    revision = task_state.revision if task_state and task_state.revision_id else None
    revision = revision or workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
