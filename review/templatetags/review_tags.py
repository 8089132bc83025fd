from django import template

register = template.Library()


@register.inclusion_tag("review/approval_summary.html")
def approval_summary(task_state):
    """What the reviewer must know before approving: the automatic screening of
    the exact revision under review, and which findings are still open."""
    from review.screening import BLOCK
    from review.services import decisions_for, screen_revision, unresolved

    page = task_state.workflow_state.content_object
    revision = task_state.revision or page.get_latest_revision()
    try:
        findings = screen_revision(revision)
    except Exception:  # noqa: BLE001 - shown as a failure; the final stage refuses approval anyway
        return {"failed": True, "page": page}
    open_items = unresolved(findings, decisions_for(revision))
    return {
        "page": page, "revision": revision, "open": open_items, "total": len(findings),
        "blocking": sum(1 for f in open_items if f.level == BLOCK), "final": task_state.task.specific.final_stage,
    }
