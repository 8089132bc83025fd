"""The review gate, attacked over HTTP as each role: only the stage's own
reviewers act on it, one person acts on one stage, and every action is checked
again on POST against the task state's own page."""

import pytest
from django.urls import reverse
from wagtail.models import Page, TaskState

from review.models import LedgerEntry, StageAssignment
from sitegroup.registry.roles import ensure_office_group
from tests.factories import column, make_article, make_site, make_user
from tests.helpers import refused
from tests.review.conftest import act, submit


def stage_of(page):
    page = Page.objects.get(pk=page.pk).specific
    task = page.current_workflow_task
    return task.name if task else None


@pytest.fixture
def staff(county, people):
    other = make_site("county", name="武宁县", code="wuning", hostname="wuning.localhost")
    return {
        **people,
        "officer": make_user("xs_officer", county, "officer"),
        "other_editor": make_user("wn_editor", other, "editor"),
        "other_reviewer": make_user("wn_reviewer", other, "reviewer"),
        "office": make_user("office", groups=[ensure_office_group()]),
        "superuser": make_user("root", superuser=True),
        "other_site": other,
    }


@pytest.mark.parametrize("who", ["officer", "admin", "editor", "other_editor", "other_reviewer", "office", "superuser"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_only_the_first_stage_reviewer_acts_on_the_first_stage(client, draft, staff, who, action):
    submit(client, staff["editor"], draft)
    state = Page.objects.get(pk=draft.pk).specific.current_workflow_task_state
    client.force_login(staff[who])
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, action, state.pk])
    assert refused(client.get(url)), "the modal must not even be offered"
    assert refused(client.post(url, {"comment": "越权"}))
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS and state.finished_by is None
    assert stage_of(draft) == "初审"
    assert not LedgerEntry.objects.filter(action__in=["approve", "task_reject"]).exists()


@pytest.mark.parametrize("who", ["reviewer", "officer", "admin", "office", "superuser"])
def test_final_stage_needs_the_final_reviewer(client, draft, staff, who):
    submit(client, staff["editor"], draft)
    assert act(client, staff["reviewer"], draft).status_code == 302
    assert stage_of(draft) == "终审"
    assert refused(act(client, staff[who], draft))
    assert stage_of(draft) == "终审" and not Page.objects.get(pk=draft.pk).live
    # The final reviewer still can.
    act(client, staff["reviewer2"], draft)
    assert Page.objects.get(pk=draft.pk).live


def test_one_person_never_passes_two_stages(client, county, draft, staff):
    both = make_user("xs_both", county, "reviewer")
    both.groups.add(county.role_groups.get(role="final_reviewer").group)
    submit(client, staff["editor"], draft)
    assert act(client, both, draft).status_code == 302
    assert stage_of(draft) == "终审"
    assert refused(act(client, both, draft))
    assert stage_of(draft) == "终审" and not Page.objects.get(pk=draft.pk).live
    # Nor may they reject the stage they cannot approve.
    assert refused(act(client, both, draft, action="reject"))
    assert stage_of(draft) == "终审"


def test_an_action_on_another_pages_task_state_is_refused(client, county, draft, staff):
    """Wagtail checks the actions against the page in the URL but acts on the
    task state in the URL; a reviewer of one site must not reach another's."""
    other_draft = make_article(column(staff["other_site"], "ywdt"), "武宁县动态", publish=False, user=staff["other_editor"])
    submit(client, staff["other_editor"], other_draft)
    submit(client, staff["editor"], draft)
    foreign_state = Page.objects.get(pk=other_draft.pk).specific.current_workflow_task_state
    client.force_login(staff["reviewer"])  # may act on `draft`, not on `other_draft`
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", foreign_state.pk])
    assert refused(client.post(url, {"comment": ""}))
    foreign_state.refresh_from_db()
    assert foreign_state.status == TaskState.STATUS_IN_PROGRESS
    assert stage_of(other_draft) == "初审"


def test_the_office_can_assign_a_stage_to_another_role(client, county, draft, staff):
    StageAssignment.objects.create(site=county, final_role="admin")
    submit(client, staff["editor"], draft)
    act(client, staff["reviewer"], draft)
    assert refused(act(client, staff["reviewer2"], draft))
    assert act(client, staff["admin"], draft).status_code == 302
    assert Page.objects.get(pk=draft.pk).live


def test_stage_assignment_roles_must_differ(county):
    from django.core.exceptions import ValidationError

    assignment = StageAssignment(site=county, first_role="reviewer", final_role="reviewer")
    with pytest.raises(ValidationError, match="不同的角色"):
        assignment.full_clean()


def test_moderation_lists_show_only_what_the_user_may_review(client, draft, staff):
    submit(client, staff["editor"], draft)
    for who, expected in [("reviewer", 1), ("reviewer2", 0), ("other_reviewer", 0), ("superuser", 0), ("office", 0)]:
        assert TaskState.objects.reviewable_by(staff[who]).count() == expected, who
    act(client, staff["reviewer"], draft)
    for who, expected in [("reviewer", 0), ("reviewer2", 1), ("admin", 0)]:
        assert TaskState.objects.reviewable_by(staff[who]).count() == expected, who


def test_a_superuser_cannot_publish_around_the_review(client, draft, staff):
    """Wagtail lets a superuser publish from the edit page; in the site group a
    page goes live only when its final stage approves it."""
    from tests.review.conftest import edit_data

    client.force_login(staff["superuser"])
    form = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert 'name="action-publish"' not in form
    data = edit_data(draft.title, "<p>越过审核直接发布。</p>", slug=draft.slug)
    del data["action-submit"]
    data["action-publish"] = "action-publish"
    client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data)
    assert not Page.objects.get(pk=draft.pk).live
    assert not LedgerEntry.objects.filter(action="publish", page_id_ref=draft.pk).exists()
