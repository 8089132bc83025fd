"""报送, 采用, 退回, and keeping every copy in step with its source.

Each service takes the acting user and checks that user's role on the site it
acts for: an editor offers stories of their own site and accepts only into
the sites where they are editor or administrator.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.actions.unpublish_page import UnpublishPageAction

from review import ledger
from review.models import ResponsibilityStatement
from review.services import STATEMENT
from search.signals import enqueue as enqueue_index
from sitegroup.registry.lookup import profile_for_page
from sitegroup.registry.models import SiteGroup, SiteRole
from sitegroup.registry.roles import user_has_site_role
from sites.cache import purge_page
from sites.models import ArticlePage
from sites.syndicated import MIRRORED, SyndicatedArticlePage, copies_of, copies_under, story_if_public

from .models import Intake, Status, Submission

logger = logging.getLogger(__name__)
SUBMIT_ROLES = (SiteRole.ADMIN, SiteRole.EDITOR, SiteRole.OFFICER)
DECIDE_ROLES = (SiteRole.ADMIN, SiteRole.EDITOR)


class SyndicationError(ValueError):
    """A request the rules refuse; the message is shown to the user as it is."""


def original(page):
    """The story itself: offering a copy offers its source."""
    page = page.specific
    if isinstance(page, SyndicatedArticlePage) and page.story_id:
        return page.story.specific
    return page


def may_submit(user, page) -> bool:
    page = original(page)
    if not isinstance(page, ArticlePage) or story_if_public(page) is None:
        return False
    profile = profile_for_page(page)
    return profile is not None and user_has_site_role(user, profile, SUBMIT_ROLES)


def may_decide(user, submission) -> bool:
    return user_has_site_role(user, submission.to_site, DECIDE_ROLES)


def deciding_site_ids(user) -> set | None:
    """Sites whose offers ``user`` may decide on; None means every site (a superuser).
    The group office reads every queue but decides on none without a site role."""
    if user.is_superuser:
        return None
    return set(SiteGroup.objects.filter(group__user=user, role__in=DECIDE_ROLES).values_list("profile_id", flat=True))


def intakes_for(profile):
    """Columns of other sites that accept submissions, in the group directory's order."""
    return (
        Intake.objects.filter(active=True, column__live=True).exclude(site=profile)
        .select_related("site", "column").order_by("site__sort_order", "site__pk", "column__path")
    )


def open_intakes_for(story):
    """Intakes the story has not been offered to yet (or was returned from)."""
    taken = Submission.objects.filter(story=story, status__in=[Status.PENDING, Status.ACCEPTED]).values("intake_id")
    return intakes_for(profile_for_page(story)).exclude(pk__in=taken)


@transaction.atomic
def submit(page, intakes, user, note="") -> list[Submission]:
    story = original(page)
    if not isinstance(story, ArticlePage) or story_if_public(story) is None:
        raise SyndicationError("只能报送已发布、向公众公开的文章。")
    profile = profile_for_page(story)
    if profile is None or not user_has_site_role(user, profile, SUBMIT_ROLES):
        raise SyndicationError("只有本站的编辑、信息员或管理员可以报送本站信息。")
    intakes = list(intakes)
    if not intakes:
        raise SyndicationError("请至少选择一个报送栏目。")
    allowed = {i.pk for i in open_intakes_for(story)}
    made = []
    for intake in intakes:
        if intake.pk not in allowed:
            raise SyndicationError(f"“{intake}”不接收此信息（已报送、未开放或是本站栏目）。")
        try:
            with transaction.atomic():
                made.append(Submission.objects.create(
                    story=story, title=story.title[:255], from_site=profile, intake=intake, to_site=intake.site,
                    column_title=intake.column.title[:255],
                    note=note.strip()[:500], submitted_by=user,
                ))
        except IntegrityError:  # the same offer made a moment ago (another tab, a double click)
            raise SyndicationError(f"已向“{intake}”报送过此信息。") from None
    return made


def _locked(submission):
    submission = Submission.objects.select_for_update(of=("self",)).select_related("intake__column", "to_site").get(
        pk=submission.pk
    )
    if submission.status != Status.PENDING:
        raise SyndicationError(f"该报送已处理（{submission.get_status_display()}）。")
    return submission


def _slug_under(column, slug):
    taken = set(column.get_children().filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


@transaction.atomic
def accept(submission, user, *, title="", summary="") -> SyndicatedArticlePage:
    """采用 (and 采用并修改 with ``title`` or ``summary``): a copy under the receiving
    column that shows the source's live body. It goes through the receiving
    site's review workflow unless the intake says the source's review suffices."""
    if not may_decide(user, submission):
        raise SyndicationError("只有接收站点的编辑或管理员可以采用。")
    submission = _locked(submission)
    story = story_if_public(ArticlePage.objects.live().filter(pk=submission.story_id).first())
    if story is None:
        raise SyndicationError("原文已撤回、删除或不再公开，无法采用。")
    intake = submission.intake
    if intake is None or not intake.active or not intake.column.live:
        raise SyndicationError("该栏目已停止接收报送，无法采用。")
    column = intake.column
    copy = SyndicatedArticlePage(
        story=story, own_title=title.strip()[:255], own_summary=summary.strip(),
        slug=_slug_under(column, story.slug), owner=user, live=False,
    )
    copy.mirror(story)
    column.add_child(instance=copy)
    revision = copy.save_revision(user=user)
    # Words of the receiving editor's own (采用并修改) were never reviewed anywhere.
    if intake.review_required or copy.own_title or copy.own_summary:
        # The acceptor answers for putting it on this site (谁上网，谁负责).
        ResponsibilityStatement.objects.create(page=copy, revision=revision, user=user, text=STATEMENT)
        copy.get_workflow().start(copy, user)
    else:
        revision.publish(user=user, skip_permission_checks=True)
        copy.refresh_from_db()
    ledger.append("syndicate_accept", copy, user, revision, source=story.pk, submission=submission.pk)
    submission.status = Status.ACCEPTED
    submission.decided_by, submission.decided_at = user, timezone.now()
    submission.copy = copy
    submission.save(update_fields=["status", "decided_by", "decided_at", "copy"])
    return copy


@transaction.atomic
def return_submission(submission, user, reason) -> Submission:
    if not may_decide(user, submission):
        raise SyndicationError("只有接收站点的编辑或管理员可以退回。")
    reason = (reason or "").strip()
    if not reason:
        raise SyndicationError("退回必须填写理由。")
    submission = _locked(submission)
    submission.status = Status.RETURNED
    submission.reason = reason[:500]
    submission.decided_by, submission.decided_at = user, timezone.now()
    submission.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return submission


# ------------------------------------------------------------------ following the source

def refresh_copies(copies) -> int:
    """Copies whose source changed (published, moved, restricted, its site's status):
    each takes title, listing fields and 来源 from what is public now (a source that
    is not public lends nothing, not even its title), and its cached page and index
    entry are rebuilt."""
    copies = list(copies)
    for copy in copies:
        story = copy.live_story
        if story is not None:
            copy.mirror(story)
            copy.draft_title = copy.title
            copy.save(update_fields=["title", "draft_title", "summary", "source", "cover_image", *MIRRORED])
        purge_page(copy)
    enqueue_index([c.pk for c in copies])
    return len(copies)


def story_published(page) -> int:
    """The source was (re)published. Static publishing finds the copies itself
    (``publishing.changes``)."""
    return refresh_copies(copies_of([page.pk]))


def story_moved(page) -> int:
    """A subtree moved: its stories may now sit on another site (来源 changes) or
    under a restriction (their copies go dark), and their addresses changed."""
    return refresh_copies(copies_under(page.path))


def story_withdrawn(page, user=None) -> int:
    """The source left the public (unpublished, withdrawn, deleted): so does every copy,
    copies still waiting for the receiving site's review leave its queue, and offers
    nobody has decided on are closed."""
    Submission.objects.filter(story_id=page.pk, status=Status.PENDING).update(
        status=Status.WITHDRAWN, decided_at=timezone.now()
    )
    for copy in SyndicatedArticlePage.objects.filter(story_id=page.pk, live=False):
        for state in copy.workflow_states.filter(status="in_progress"):
            state.cancel(user=user)
    count = 0
    for copy in copies_of([page.pk]):
        # The source site's people hold no rights on the receiving site; following
        # the source is this service's authority, as a takedown is review's.
        UnpublishPageAction(copy, user=user, log_action=True).execute(skip_permission_checks=True)
        ledger.append("syndicate_withdraw", copy, user, None, source=page.pk)
        count += 1
    return count
