"""信息报送 on the demo group: the portal's 要闻动态 and 通知公告 take submissions
(with the portal's own review); each county and department has offered its
newest story, and the portal has accepted most, returned some and left a few
pending, so the queue, the statistics and the evaluation all have something real."""

from review.services import publish_through_review
from sitegroup.registry.models import SiteProfile, SiteRole
from sitegroup.syndication import services
from sitegroup.syndication.models import Intake, Submission
from sites.models import ArticlePage, ColumnPage

PORTAL = "jiujiang"
INTAKES = [("ywdt", "欢迎报送本地区、本部门重要政务动态。"), ("tzgg", "面向全市公众的通知公告。")]
RETURN_REASON = "内容属本单位日常事务，不宜在门户要闻刊发，请报送本地区重点工作。"
# One site in four of each outcome: accepted, accepted with a portal headline, pending, returned.
OUTCOMES = ("accept", "accept_with_title", "pending", "return")


def ensure_intakes(portal) -> list[Intake]:
    intakes = []
    for slug, note in INTAKES:
        column = ColumnPage.objects.child_of(portal.site.root_page).filter(slug=slug).first()
        if column is not None:
            intakes.append(Intake.objects.get_or_create(column=column, defaults={"note": note})[0])
    return intakes


def ensure_submissions(staff_for) -> int:
    """Returns how many offers were made this run (0 when the demo already has them)."""
    portal = SiteProfile.objects.select_related("site__root_page").filter(code=PORTAL).first()
    if portal is None:
        return 0
    intakes = ensure_intakes(portal)
    if not intakes:
        return 0
    news = intakes[0]
    portal_staff = staff_for(portal)
    made = 0
    others = SiteProfile.objects.select_related("site__root_page").exclude(pk=portal.pk).order_by("sort_order", "pk")
    for index, profile in enumerate(others):
        column = ColumnPage.objects.child_of(profile.site.root_page).filter(slug="ywdt").first()
        story = ArticlePage.objects.child_of(column).live().order_by("-date", "-pk").first() if column else None
        if story is None or Submission.objects.filter(story=story, intake=news).exists():
            continue
        staff = staff_for(profile)
        [offer] = services.submit(story, [news], staff[SiteRole.EDITOR], note="本单位重要政务动态，请审核采用。")
        made += 1
        outcome = OUTCOMES[index % len(OUTCOMES)]
        if outcome == "return":
            services.return_submission(offer, portal_staff[SiteRole.EDITOR], RETURN_REASON)
        elif outcome.startswith("accept"):
            title = f"{profile.name}：{story.title}" if outcome == "accept_with_title" else ""
            copy = services.accept(offer, portal_staff[SiteRole.EDITOR], title=title)
            if not copy.live:  # through the portal's review, as every page of the portal
                publish_through_review(
                    copy, portal_staff[SiteRole.EDITOR],
                    [portal_staff[SiteRole.REVIEWER], portal_staff[SiteRole.FINAL_REVIEWER]],
                    acknowledge_warnings=True,
                )
    return made
