"""Static publishing follows a story to its copies on other sites."""

from urllib.parse import unquote

from sitegroup.publishing import services as static
from sitegroup.publishing.models import StaticChange
from sitegroup.syndication import services
from tests.publishing.helpers import file_of

PORTAL = "jiujiang.localhost"


def test_a_corrected_or_withdrawn_story_rewrites_every_copys_file(publishing, quick_intake, story, people,
                                                                   portal_people):
    copy = services.accept(services.submit(story, [quick_intake], people["editor"])[0], portal_people["editor"])
    static.publish_all()
    path = unquote("/" + copy.url_path.split("/", 2)[2])  # /tzgg/<slug>/ on the portal
    files = [file_of(root, path, host=PORTAL) for root in publishing.values()]
    assert all("会议部署森林防火工作。" in f.read_text() for f in files)
    index = [file_of(root, "/tzgg/", host=PORTAL) for root in publishing.values()]

    story.title = "修水县召开森林防火会议（更正）"
    story.body = [("paragraph", "<p>会议部署了冬春森林防火工作。</p>")]
    story.save_revision().publish()
    assert StaticChange.objects.filter(hostname=PORTAL, path=path).exists()
    report = static.drain()
    assert (PORTAL, path) in report.rendered and (PORTAL, "/tzgg/") in report.rendered
    assert all("会议部署了冬春森林防火工作。" in f.read_text() for f in files)
    assert all("修水县召开森林防火会议（更正）" in f.read_text() for f in index)

    story.unpublish()
    static.drain()
    assert not any(f.exists() for f in files)
    assert all("森林防火" not in f.read_text() for f in index)


def test_moving_the_story_rewrites_its_copys_canonical_link(publishing, county, quick_intake, story, people,
                                                            portal_people):
    from tests.factories import column

    copy = services.accept(services.submit(story, [quick_intake], people["editor"])[0], portal_people["editor"])
    static.publish_all()
    path = unquote("/" + copy.url_path.split("/", 2)[2])
    [local, *_] = [file_of(root, path, host=PORTAL) for root in publishing.values()]
    assert "/ywdt/" in local.read_text().split('rel="canonical"')[1][:120]
    story.move(column(county, "tzgg"), pos="last-child")
    report = static.drain()
    assert (PORTAL, path) in report.rendered
    assert "/tzgg/" in local.read_text().split('rel="canonical"')[1][:120]
