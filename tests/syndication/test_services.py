"""报送 → 采用 / 退回, and copies that follow their source (page, cache, index)."""

import pytest

from review.services import publish_through_review
from search.models import SearchDocument
from sitegroup.syndication import services
from sitegroup.syndication.models import Status, Submission
from sites.syndicated import SyndicatedArticlePage
from tests.factories import column, make_user

HOST = "jiujiang.localhost"


def fetch(client, page):
    page.refresh_from_db()
    return client.get(page.url_path.replace(page.get_site().root_page.url_path, "/", 1), HTTP_HOST=HOST)


def accept_now(quick_intake, story, people, portal_people, **changes):
    [submission] = services.submit(story, [quick_intake], people["editor"], note="请采用")
    return services.accept(submission, portal_people["editor"], **changes)


def test_submit_and_accept_with_review_goes_through_the_portals_workflow(intake, story, people, portal_people):
    [submission] = services.submit(story, [intake], people["editor"])
    assert submission.status == Status.PENDING and submission.to_site == intake.site
    copy = services.accept(submission, portal_people["editor"])
    assert not copy.live  # waits for the portal's reviewers
    assert copy.current_workflow_state is not None
    copy = publish_through_review(copy, portal_people["editor"], [portal_people["reviewer"], portal_people["reviewer2"]])
    assert copy.live and copy.title == story.title and copy.source == "修水县"
    assert not copy.body.raw_data  # the body is never copied
    submission.refresh_from_db()
    assert submission.status == Status.ACCEPTED and submission.copy_id == copy.pk


def test_accepted_copy_shows_the_source_body_with_source_and_canonical(client, quick_intake, story, people,
                                                                         portal_people):
    copy = accept_now(quick_intake, story, people, portal_people)
    assert copy.live
    response = fetch(client, copy)
    html = response.content.decode()
    assert response.status_code == 200
    assert "会议部署森林防火工作。" in html and "来源：修水县" in html
    assert '<link rel="canonical" href="http://xiushui.localhost/ywdt/' in html


def test_accept_with_changes_keeps_own_title_when_the_source_changes(quick_intake, story, people, portal_people):
    copy = accept_now(quick_intake, story, people, portal_people, title="全市森林防火工作会议在修水召开",
                      summary="门户摘要")
    assert copy.title == "全市森林防火工作会议在修水召开" and copy.summary == "门户摘要"
    story.title = "修水县召开森林防火会议（更正）"
    story.save_revision(user=people["editor"]).publish()
    copy.refresh_from_db()
    assert copy.title == "全市森林防火工作会议在修水召开"


def test_a_corrected_source_reaches_the_copy_page_cache_and_index(client, quick_intake, story, people, portal_people):
    copy = accept_now(quick_intake, story, people, portal_people)
    assert "会议部署森林防火工作。" in fetch(client, copy).content.decode()
    assert fetch(client, copy)["X-Page-Cache"] == "hit"
    story.title = "修水县召开森林防火会议（更正）"
    story.body = [("paragraph", "<p>会议部署了冬春森林防火工作。</p>")]
    story.save_revision(user=people["editor"]).publish()
    response = fetch(client, copy)
    html = response.content.decode()
    assert response["X-Page-Cache"] == "miss"
    assert "会议部署了冬春森林防火工作。" in html and "修水县召开森林防火会议（更正）" in html
    document = SearchDocument.objects.get(page_id=copy.pk)
    assert document.title == "修水县召开森林防火会议（更正）" and "冬春" in document.body
    assert document.is_copy and document.story_id == story.pk and document.site_id == quick_intake.site_id


def test_withdrawing_the_source_withdraws_every_copy(client, portal, department, quick_intake, story, people,
                                                     portal_people):
    from sitegroup.syndication.models import Intake

    other = Intake.objects.create(column=column(department, "ywdt"), review_required=False)
    copy = accept_now(quick_intake, story, people, portal_people)
    [submission] = services.submit(story, [other], people["editor"])
    second = services.accept(submission, make_user("jyj_editor", department, "editor"))
    assert SearchDocument.objects.filter(story_id=story.pk).count() == 3
    assert fetch(client, copy).status_code == 200
    story.unpublish()
    for page in (copy, second):
        page.refresh_from_db()
        assert not page.live
    assert fetch(client, copy).status_code == 404
    assert not SearchDocument.objects.filter(story_id=story.pk).exists()


def test_deleting_the_source_withdraws_copies_and_closes_pending_offers(quick_intake, intake, story, people,
                                                                        portal_people):
    copy = accept_now(quick_intake, story, people, portal_people)
    [pending] = services.submit(story, [intake], people["editor"])
    story.delete()
    copy.refresh_from_db()
    assert not copy.live and copy.story_id is None
    pending.refresh_from_db()
    assert pending.status == Status.WITHDRAWN


def test_return_needs_a_reason_and_a_returned_story_may_be_offered_again(intake, story, people, portal_people):
    [submission] = services.submit(story, [intake], people["editor"])
    with pytest.raises(services.SyndicationError, match="理由"):
        services.return_submission(submission, portal_people["editor"], " ")
    services.return_submission(submission, portal_people["editor"], "内容与门户栏目定位不符")
    submission.refresh_from_db()
    assert submission.status == Status.RETURNED and submission.reason == "内容与门户栏目定位不符"
    with pytest.raises(services.SyndicationError, match="已处理"):
        services.accept(submission, portal_people["editor"])
    services.submit(story, [intake], people["editor"])
    assert Submission.objects.filter(story=story).count() == 2


def test_the_same_column_is_offered_a_story_once(intake, story, people):
    services.submit(story, [intake], people["editor"])
    with pytest.raises(services.SyndicationError, match="不接收"):
        services.submit(story, [intake], people["editor"])


def test_a_county_editor_cannot_accept_into_the_portal(intake, story, people, portal):
    [submission] = services.submit(story, [intake], people["editor"])
    for who in (people["editor"], people["admin"], people["reviewer"], make_user("jj_rev", portal, "reviewer")):
        with pytest.raises(services.SyndicationError, match="接收站点"):
            services.accept(submission, who)
        with pytest.raises(services.SyndicationError, match="接收站点"):
            services.return_submission(submission, who, "不采用")
    assert not SyndicatedArticlePage.objects.exists()


def test_only_writers_of_the_source_site_may_offer_it(intake, story, people, portal_people, department):
    for who in (people["reviewer"], portal_people["editor"], make_user("jyj_ed", department, "editor")):
        with pytest.raises(services.SyndicationError):
            services.submit(story, [intake], who)
    # A portal column cannot be offered its own site's story either.
    own = services.intakes_for(intake.site)
    assert intake not in own


def test_offering_a_copy_offers_its_source(portal, department, quick_intake, story, people, portal_people):
    from sitegroup.syndication.models import Intake

    copy = accept_now(quick_intake, story, people, portal_people)
    elsewhere = Intake.objects.create(column=column(department, "ywdt"))
    [submission] = services.submit(copy, [elsewhere], people["editor"])
    assert submission.story_id == story.pk and submission.from_site.code == "xiushui"


def test_accept_with_changes_goes_to_review_even_where_acceptance_publishes(quick_intake, story, people,
                                                                             portal_people):
    copy = accept_now(quick_intake, story, people, portal_people, summary="门户编辑写的摘要")
    assert not copy.live and copy.current_workflow_state is not None


def test_a_restricted_source_is_not_shown_or_found_through_its_copy(client, quick_intake, story, people,
                                                                    portal_people):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    copy = accept_now(quick_intake, story, people, portal_people)
    assert fetch(client, copy).status_code == 200
    restriction = PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.first())
    assert fetch(client, copy).status_code == 404  # the cached copy was purged too
    assert not SearchDocument.objects.filter(page_id=copy.pk).exists()
    restriction.delete()
    assert fetch(client, copy).status_code == 200
    assert SearchDocument.objects.filter(page_id=copy.pk).exists()


def test_a_closed_source_site_takes_its_copies_down(client, county, quick_intake, story, people, portal_people):
    from sitegroup.registry.models import SiteStatus
    from tests.factories import change_site

    copy = accept_now(quick_intake, story, people, portal_people)
    change_site(county, status=SiteStatus.CLOSED)
    assert fetch(client, copy).status_code == 404
    assert not SearchDocument.objects.filter(page_id=copy.pk).exists()
    with pytest.raises(services.SyndicationError, match="公开"):
        services.submit(story, [quick_intake], people["editor"])


def test_a_copy_waiting_for_review_leaves_the_queue_when_the_source_is_withdrawn(intake, story, people,
                                                                                portal_people):
    [submission] = services.submit(story, [intake], people["editor"])
    copy = services.accept(submission, portal_people["editor"])
    assert copy.current_workflow_state is not None
    story.unpublish()
    story.title = "内部草稿标题"
    story.save()  # a draft saved into the withdrawn source's row
    copy = SyndicatedArticlePage.objects.get(pk=copy.pk)
    assert copy.current_workflow_state is None
    copy.save()
    assert copy.title == "修水县召开秋冬季森林防火工作会议"  # never the source's draft


def test_the_offer_outlives_the_receiving_column(quick_intake, story, people, portal_people):
    [submission] = services.submit(story, [quick_intake], people["editor"])
    services.return_submission(submission, portal_people["editor"], "不采用")
    quick_intake.column.delete()
    submission.refresh_from_db()
    assert submission.intake is None and submission.column_title == "通知公告"
    assert submission.status == Status.RETURNED


def test_a_source_republished_behind_a_restriction_lends_the_copy_nothing(quick_intake, story, people,
                                                                         portal_people):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    copy = accept_now(quick_intake, story, people, portal_people)
    restriction = PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.first())
    story.title = "内部通报：不公开的标题"
    story.save_revision().publish()
    copy.refresh_from_db()
    assert copy.title == "修水县召开秋冬季森林防火工作会议"


def test_a_moved_source_takes_its_copies_along(client, county, department, quick_intake, story, people,
                                               portal_people):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    copy = accept_now(quick_intake, story, people, portal_people)
    hidden = column(county, "tzgg")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.GROUPS).groups.add(
        Group.objects.first())
    story.move(hidden, pos="last-child")
    assert fetch(client, copy).status_code == 404  # now under a restriction: not here either
    assert not SearchDocument.objects.filter(page_id=copy.pk).exists()

    story.refresh_from_db()
    story.move(column(department, "ywdt"), pos="last-child")  # handed over to another site
    copy.refresh_from_db()
    assert copy.source == "九江市教育局"
    page = fetch(client, copy).content.decode()
    assert '<link rel="canonical" href="http://jyj.localhost/ywdt/' in page
    assert SearchDocument.objects.filter(page_id=copy.pk).exists()


def test_lifting_the_restriction_lends_the_copy_what_was_published_behind_it(client, quick_intake, story, people,
                                                                             portal_people):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    copy = accept_now(quick_intake, story, people, portal_people)
    restriction = PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.first())
    story.title = "修水县召开森林防火会议（更正）"
    story.save_revision().publish()
    restriction.delete()
    copy.refresh_from_db()
    assert copy.title == "修水县召开森林防火会议（更正）"
    assert SearchDocument.objects.get(page_id=copy.pk).title == "修水县召开森林防火会议（更正）"
