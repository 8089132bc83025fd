"""Who may act on a review stage.

A stage (初审, 复审, 终审) is the same task for every site of the group; its
approvers are resolved from the page's site and the role that site assigns to
the stage (by default 初审 → 审核员, 复审 → 复审员, 终审 → 终审员, changeable
by the group office per site under “审核环节分工”). So the number of review
tasks stays at three however many sites the group has, and the cost of asking
"what may this user review" does not grow with it.

Nobody is an exception: superusers and the group office act on a stage only
when they hold that stage's role on the page's site, and one person acts on at
most one stage of a submission.
"""

from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from wagtail.models import Page, Revision, TaskState, WorkflowState

from sitegroup.registry.models import SiteGroup, SiteRole


class Stage(models.TextChoices):
    FIRST = "first", "初审"
    SECOND = "second", "复审"
    FINAL = "final", "终审"


DEFAULT_STAGE_ROLES = {
    Stage.FIRST: SiteRole.REVIEWER,
    Stage.SECOND: SiteRole.SECOND_REVIEWER,
    Stage.FINAL: SiteRole.FINAL_REVIEWER,
}
# Roles the office may assign to a stage: never the roles that write content.
ASSIGNABLE_ROLES = [
    (role.value, role.label)
    for role in (SiteRole.REVIEWER, SiteRole.SECOND_REVIEWER, SiteRole.FINAL_REVIEWER, SiteRole.ADMIN)
]
_ASSIGNMENT_FIELDS = {
    Stage.FIRST: "profile__stage_assignment__first_role",
    Stage.SECOND: "profile__stage_assignment__second_role",
    Stage.FINAL: "profile__stage_assignment__final_role",
}
_SCOPE_ATTR = "_sitegroup_review_scope"


def review_scope(user) -> dict[str, dict[int, str]]:
    """For each stage, the sites (profile id → home page path) where ``user``
    holds the role that stage needs. One query, memoised on the user object
    (which lives for one request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {stage: {} for stage in Stage}
    scope = getattr(user, _SCOPE_ATTR, None)
    if scope is not None:
        return scope
    scope = {stage: {} for stage in Stage}
    rows = SiteGroup.objects.filter(group__user=user).values_list(
        "profile_id", "role", "profile__site__root_page__path", *_ASSIGNMENT_FIELDS.values()
    )
    for profile_id, role, home_path, *assigned in rows:
        for stage, assigned_role in zip(_ASSIGNMENT_FIELDS, assigned, strict=True):
            if (assigned_role or DEFAULT_STAGE_ROLES[stage]) == role:
                scope[stage][profile_id] = home_path
    setattr(user, _SCOPE_ATTR, scope)
    return scope


def is_stage_reviewer(stage: str, page, user) -> bool:
    """Does ``user`` hold the role that ``stage`` needs on the site of ``page``?"""
    path = getattr(page, "path", None)
    if not path:
        return False
    return any(path.startswith(home) for home in review_scope(user).get(stage, {}).values())


def _draft_revisions(page):
    revisions = Revision.objects.filter(content_type_id=page.content_type_id, object_id=str(page.pk))
    if page.last_published_at:
        revisions = revisions.filter(created_at__gt=page.last_published_at)
    return revisions


def conflicts_of_interest(page, user, stage_task=None) -> bool:
    """Separation of duties: the submitter, anyone who edited the pending
    content and anyone who already acted on another stage of this submission
    may not act on it."""
    if not getattr(user, "is_authenticated", False):
        return True
    state = page.current_workflow_state
    if state is not None:
        if state.requested_by_id == user.pk:
            return True
        other_stages = TaskState.objects.filter(workflow_state=state, finished_by=user)
        if stage_task is not None:
            other_stages = other_stages.exclude(task_id=stage_task.pk)
        if other_stages.exists():
            return True
    return _draft_revisions(page).filter(user=user).exists()


def may_act(task, page, user) -> bool:
    return is_stage_reviewer(task.stage, page, user) and not conflicts_of_interest(page, user, task)


def refusal(task, task_state, user) -> str | None:
    """Why ``user`` may not act on ``task_state`` now, or None. Checked on every
    POST from the task state's own page, whatever page the URL named."""
    workflow_state = task_state.workflow_state
    if (
        task_state.task_id != task.pk
        or task_state.status != TaskState.STATUS_IN_PROGRESS
        or workflow_state.status != WorkflowState.STATUS_IN_PROGRESS
        or workflow_state.current_task_state_id != task_state.pk
    ):
        return "该审核环节已经结束，请刷新页面后查看当前状态。"
    page = workflow_state.content_object
    if not is_stage_reviewer(task.stage, page, user):
        return f"您不是本站点的{task.get_stage_display()}人员，不能处理该环节。"
    if conflicts_of_interest(page, user, task):
        return "不得审核本人提交或修改的内容，同一人也不得审核同一稿件的两个环节。"
    return None


def moderatable_states(task, user):
    """In-progress states of ``task`` on pages of the sites where ``user`` holds
    the stage's role, without the user's own submissions or submissions on
    whose other stages the user already acted. No query is run here."""
    homes = list(review_scope(user).get(task.stage, {}).values())
    if not homes:
        return TaskState.objects.none()
    pages = (
        Page.objects.filter(reduce(or_, (Q(path__startswith=home) for home in homes)))
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    acted_elsewhere = TaskState.objects.filter(
        workflow_state=OuterRef("workflow_state"), finished_by=user
    ).exclude(task_id=task.pk)
    return (
        task.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in=pages,
        )
        .exclude(workflow_state__requested_by=user)
        .exclude(Exists(acted_elsewhere))
    )
