import time
from http.server import BaseHTTPRequestHandler

import pytest

from sitegroup.inspection.checker import ExternalChecker
from sitegroup.inspection.models import BrokenLink, InspectionRun
from sitegroup.inspection.services import inspect
from tests.factories import column, make_article, make_document
from tests.helpers import kept_out_of_admin, loopback_server


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/ok":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"fine")
        elif self.path == "/slow":
            time.sleep(2)
            self.send_response(200)
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/garbage":
            self.wfile.write(b"\x00\x01 this is not HTTP\r\n\r\n")
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture
def server():
    with loopback_server(Handler) as url:
        yield url


def test_broken_links_are_found_per_site_and_page(county, server):
    news = column(county, "ywdt")
    good = make_article(news, "正常文章")
    document = make_document(county.collection, "附件")
    links = "".join(
        f'<a href="{href}">x</a>' for href in [
            f"{server}/ok", f"{server}/missing", f"{server}/slow", f"{server}/loop", f"{server}/garbage",
            f"/ywdt/{good.slug}/", "/ywdt/no-such-page/", f"/documents/{document.pk}/a.pdf", "/documents/99999/x.pdf",
            "mailto:web@jiujiang.gov.cn",
        ]
    )
    make_article(news, "含有各种链接的文章", body=links)
    checker = ExternalChecker(concurrency=4, timeout=0.5, per_host_delay=0.0, max_redirects=3)
    run = inspect(checker=checker)
    problems = {b.url.replace(server, ""): b.problem for b in BrokenLink.objects.filter(run=run)}
    assert problems == {
        "/missing": "HTTP 404",
        "/slow": "访问超时",
        "/loop": "重定向次数过多",
        "/garbage": problems.get("/garbage"),
        "/ywdt/no-such-page/": "站内页面不存在或未发布",
        "/documents/99999/x.pdf": "文档不存在",
    }
    assert problems["/garbage"].startswith("无法访问")
    assert run.finished_at is not None and run.done_pages == run.total_pages == 2
    assert {b.page_title for b in BrokenLink.objects.all()} == {"含有各种链接的文章"}


def test_interrupted_run_resumes(county, server):
    news = column(county, "ywdt")
    for n in range(3):
        make_article(news, f"文章{n}", body=f'<a href="{server}/missing">x</a>')
    checker = ExternalChecker(per_host_delay=0.0, timeout=1)
    first = inspect(checker=checker, page_limit=0)
    assert first.finished_at is None and first.done_pages == 0
    import sitegroup.inspection.services as services

    services.BATCH = 1
    try:
        partial = inspect(run=first, checker=checker, page_limit=2)
        assert partial.done_pages == 2 and partial.finished_at is None
        resumed = inspect(checker=checker)  # picks up the unfinished run
        assert resumed.pk == first.pk and resumed.finished_at is not None
    finally:
        services.BATCH = 50
    assert BrokenLink.objects.filter(run=first).count() == 3  # each page checked exactly once
    assert InspectionRun.objects.count() == 1


def test_politeness_delay_spaces_requests_to_one_host(server, monkeypatch):
    import asyncio

    import sitegroup.inspection.checker as checker_module

    waits = []
    real_sleep = asyncio.sleep

    async def recording_sleep(seconds):
        waits.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(checker_module.asyncio, "sleep", recording_sleep)
    checker = ExternalChecker(concurrency=4, per_host_delay=5.0)
    checker.run([f"{server}/ok?{n}" for n in range(4)])
    # The first request to the host goes at once; each later one is told to wait.
    assert len(waits) == 3 and all(0 < w <= 5.0 for w in waits)


def test_report_is_scoped_per_site(client, county, department, server):
    from sitegroup.registry.roles import ensure_office_group
    from tests.factories import make_user

    make_article(column(county, "ywdt"), "修水县坏链文章", body=f'<a href="{server}/missing">x</a>')
    make_article(column(department, "ywdt"), "教育局坏链文章", body=f'<a href="{server}/missing">x</a>')
    inspect(checker=ExternalChecker(per_host_delay=0.0, timeout=1))
    client.force_login(make_user("xs_admin", county, "admin"))
    html = client.get("/admin/inspection/").content.decode()
    assert "修水县坏链文章" in html and "教育局坏链文章" not in html
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    html = client.get("/admin/inspection/").content.decode()
    assert "修水县坏链文章" in html and "教育局坏链文章" in html
    client.force_login(make_user("nobody"))
    assert kept_out_of_admin(client.get("/admin/inspection/"))
