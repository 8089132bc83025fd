"""The admin screens of 信息报送, driven as an editor would."""

import io

import openpyxl

from sitegroup.syndication.models import Status, Submission
from sites.syndicated import SyndicatedArticlePage


def login(client, user):
    client.force_login(user)
    return client


def test_an_editor_offers_a_story_from_its_edit_page(client, intake, story, people):
    login(client, people["editor"])
    edit = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert f"/admin/syndication/submit/{story.pk}/" in edit
    form = client.get(f"/admin/syndication/submit/{story.pk}/")
    assert "中国九江 › 要闻动态" in form.content.decode()
    empty = client.post(f"/admin/syndication/submit/{story.pk}/", {"note": "x"})
    assert "请至少选择一个报送栏目。" in empty.content.decode()
    response = client.post(f"/admin/syndication/submit/{story.pk}/", {"intakes": [intake.pk], "note": "请采用"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.note == "请采用" and submission.submitted_by == people["editor"]
    # Offered once: the column is no longer listed.
    again = client.get(f"/admin/syndication/submit/{story.pk}/").content.decode()
    assert "暂无可报送的栏目" in again and "待处理" in again


def test_a_tampered_form_cannot_offer_to_a_column_that_is_not_listed(client, portal, county, story, people):
    from sitegroup.syndication.models import Intake
    from tests.factories import column

    own = Intake.objects.create(column=column(county, "tzgg"))  # the county's own column
    login(client, people["editor"])
    response = client.post(f"/admin/syndication/submit/{story.pk}/", {"intakes": [own.pk]})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_portal_editor_accepts_with_changes_from_the_queue(client, quick_intake, story, people, portal_people):
    from sitegroup.syndication import services

    services.submit(story, [quick_intake], people["editor"])
    submission = Submission.objects.get()
    login(client, portal_people["editor"])
    queue = client.get("/admin/syndication/").content.decode()
    assert story.title in queue and f"/admin/syndication/{submission.pk}/accept/" in queue
    response = client.post(f"/admin/syndication/{submission.pk}/accept/",
                           {"title": "修水县部署冬春森林防火", "summary": ""})
    assert response.status_code == 302
    copy = SyndicatedArticlePage.objects.get()
    assert copy.title == "修水县部署冬春森林防火" and copy.own_title == "修水县部署冬春森林防火"
    # The portal's own headline was never reviewed: it waits for the portal's reviewers.
    assert not copy.live and copy.current_workflow_state is not None
    submission.refresh_from_db()
    assert submission.status == Status.ACCEPTED and submission.decided_by == portal_people["editor"]
    # One queue per receiving column.
    per_column = client.get(f"/admin/syndication/?status=all&column={quick_intake.column_id}").content.decode()
    assert story.title in per_column and "中国九江 › 通知公告" in per_column
    other_column = client.get(f"/admin/syndication/?status=all&column={quick_intake.column_id + 999}")
    assert story.title not in other_column.content.decode()
    # Twice is refused with a message, not a second copy.
    client.post(f"/admin/syndication/{submission.pk}/accept/", {})
    assert SyndicatedArticlePage.objects.count() == 1


def test_the_office_reads_every_queue_but_decides_on_none(client, intake, story, people):
    from sitegroup.registry.roles import ensure_office_group
    from sitegroup.syndication import services
    from tests.factories import make_user

    [submission] = services.submit(story, [intake], people["editor"])
    login(client, make_user("office", groups=[ensure_office_group()]))
    queue = client.get("/admin/syndication/").content.decode()
    assert story.title in queue and f"/admin/syndication/{submission.pk}/accept/" not in queue


def test_returning_needs_a_reason(client, intake, story, people, portal_people):
    from sitegroup.syndication import services

    [submission] = services.submit(story, [intake], people["editor"])
    login(client, portal_people["editor"])
    response = client.post(f"/admin/syndication/{submission.pk}/return/", {"reason": ""})
    assert "退回必须填写理由。" in response.content.decode()
    client.post(f"/admin/syndication/{submission.pk}/return/", {"reason": "与本栏目定位不符"})
    submission.refresh_from_db()
    assert submission.status == Status.RETURNED
    # The county sees why in its outgoing list.
    login(client, people["editor"])
    mine = client.get("/admin/syndication/?direction=out&status=all").content.decode()
    assert "与本栏目定位不符" in mine


def test_statistics_and_excel(client, intake, quick_intake, story, people, portal_people, county, portal):
    from sitegroup.syndication import services
    from tests.factories import column, make_article

    other = make_article(column(county, "ywdt"), "修水县开展安全生产检查")
    third = make_article(column(county, "ywdt"), "修水县召开招商推介会")
    services.accept(services.submit(story, [quick_intake], people["editor"])[0], portal_people["editor"])
    services.return_submission(services.submit(other, [quick_intake], people["editor"])[0],
                               portal_people["editor"], "重复")
    services.submit(third, [intake], people["editor"])
    login(client, people["admin"])
    page = client.get("/admin/syndication/statistics/").content.decode()
    assert "修水县" in page and "50.0%" in page and "中国九江" not in page  # only the admin's own site
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(
        "/admin/syndication/statistics/?start=2020-01-01&end=2029-12-31&format=xlsx").content)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["修水县"][:5] == (3, 1, 1, 1, 50.0)


def test_statistics_refuse_impossible_dates_in_chinese(client, portal, people):
    login(client, people["admin"])
    response = client.get("/admin/syndication/statistics/?start=2026-02-30&end=2026-01-01")
    html = response.content.decode()
    assert response.status_code == 200 and "起始日期格式不正确" in html
    reversed_ = client.get("/admin/syndication/statistics/?start=2026-03-01&end=2026-01-01").content.decode()
    assert "起始日期不能晚于截止日期。" in reversed_


def test_the_copy_is_reviewed_in_the_admin_like_any_page(client, intake, quick_intake, story, people,
                                                          portal_people):
    """The portal's reviewer opens the accepted item, sees the source's text in
    the preview and the screening, and the editor may change only title and summary."""
    from sitegroup.syndication import services

    copy = services.accept(services.submit(story, [intake], people["editor"])[0], portal_people["editor"])
    login(client, portal_people["reviewer"])
    edit = client.get(f"/admin/pages/{copy.pk}/edit/")
    assert edit.status_code == 200 and "采用标题" in edit.content.decode()
    preview = client.get(f"/admin/pages/{copy.pk}/edit/preview/")
    assert preview.status_code == 200
    findings = client.get(f"/admin/review/findings/{copy.pk}/")
    assert findings.status_code == 200
    # Once out of review, the portal's editor may change its title (a draft, for review again).
    [offer] = services.submit(story, [quick_intake], people["editor"])
    copy = services.accept(offer, portal_people["editor"])
    login(client, portal_people["editor"])
    response = client.post(f"/admin/pages/{copy.pk}/edit/", {
        "own_title": "门户采用标题", "own_summary": "", "slug": copy.slug, "responsibility_confirmed": "on",
    })
    assert response.status_code == 302
    copy = type(copy).objects.get(pk=copy.pk)
    assert copy.get_latest_revision().as_object().title == "门户采用标题"


def test_a_copy_page_costs_a_fixed_number_of_queries(client, county, quick_intake, story, people, portal_people,
                                                     django_assert_max_num_queries):
    """A copy costs an article's budget plus three: the source page, its site's record, its attachments."""
    from django.core.cache import cache

    from tests.factories import make_document
    from tests.sites.test_query_counts import MAX_QUERIES

    story.attachments.create(document=make_document(county.collection, "会议材料"))
    story.save_revision().publish()
    copy = services_accept(quick_intake, story, people, portal_people)
    path = "/" + copy.url_path.split("/", 2)[2]
    client.get(path, HTTP_HOST="jiujiang.localhost")
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES + 3):
        response = client.get(path, HTTP_HOST="jiujiang.localhost")
    assert response.status_code == 200 and "附件" in response.content.decode()


def services_accept(intake, story, people, portal_people):
    from sitegroup.syndication import services

    return services.accept(services.submit(story, [intake], people["editor"])[0], portal_people["editor"])
