"""Oversight at scale: the freshness assessment behind the group dashboard and
check_freshness on 30 sites x 40 columns with 100,000 articles, and link
inspection throughput against a local server with slow and failing endpoints.

    python -m tests.benchmarks.bench_oversight [--small]
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/slow"):
            time.sleep(0.2)
        if self.path.startswith("/fail"):
            self.send_response(500)
        else:
            self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")


def evaluation_bench(today, rng, args_stories=1_000):
    """A month of duty rosters and logs, a finished link inspection and a ledger
    of approvals, then time the score cards for every site."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from review.models import LedgerEntry
    from sitegroup.duty.models import DutyAssignment, ReadingLog
    from sitegroup.evaluation.scoring import Period, evaluate
    from sitegroup.inspection.models import BrokenLink, InspectionRun
    from sitegroup.registry.models import SiteProfile

    user = get_user_model().objects.create_user("bench-duty")
    period = Period.month(today)
    profiles = list(SiteProfile.objects.all())
    days = [period.start + datetime.timedelta(days=d) for d in range((today - period.start).days)]
    DutyAssignment.objects.bulk_create(DutyAssignment(profile=p, date=d, user=user) for p in profiles for d in days)
    ReadingLog.objects.bulk_create(
        ReadingLog(profile=p, date=d, user=user, checked="首页") for p in profiles for d in days if rng.random() < 0.9
    )
    run = InspectionRun.objects.create(finished_at=timezone.now())
    BrokenLink.objects.bulk_create(
        BrokenLink(run=run, site=rng.choice(profiles), page_id=1, page_title="页", url=f"/x{n}", problem="404")
        for n in range(500)
    )
    first = (LedgerEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    LedgerEntry.objects.bulk_create(
        LedgerEntry(seq=first + n, action="workflow_approved", page_id_ref=n, page_title="页", revision_id_ref=n,
                    content_hash="x", created_at=timezone.now(), prev_hash="x", entry_hash=f"bench{n}")
        for n in range(1, 50_001)
    )
    # A week of hourly availability probes per site, some failed (the 站点无法访问 veto).
    from sitegroup.availability.models import Probe

    now = timezone.now()
    Probe.objects.bulk_create(
        (Probe(profile=p, at=now - datetime.timedelta(hours=h), url="http://x/", ok=rng.random() > 0.03)
         for p in profiles for h in range(7 * 24)), batch_size=5000,
    )
    accept_s, stories = syndicate(profiles, rng, args_stories)
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            evaluate(period, as_of=today)
            times.append(time.perf_counter() - t0)
    return times, len(ctx.captured_queries), accept_s, stories


def syndicate(profiles, rng, count):
    """信息报送: ``count`` stories of the other sites offered to a column of the
    first site, through the real services (a copy page each when accepted);
    most accepted, some returned, some left pending."""
    from django.contrib.auth import get_user_model

    from sitegroup.syndication import services
    from sitegroup.syndication.models import Intake
    from sites.models import ArticlePage, ColumnPage

    receiver = profiles[0]
    intake = Intake.objects.create(column=ColumnPage.objects.child_of(receiver.site.root_page).first(),
                                   review_required=False)
    office = get_user_model().objects.create_superuser("bench-syndication", password="x")
    candidates = list(
        ArticlePage.objects.live().exclude(path__startswith=receiver.site.root_page.path).order_by("?")[:count]
    )
    t0 = time.perf_counter()
    accepted = 0
    for story in candidates:
        [offer] = services.submit(story, [intake], office)
        roll = rng.random()
        if roll < 0.75:
            services.accept(offer, office)
            accepted += 1
        elif roll < 0.9:
            services.return_submission(offer, office, "不符合栏目定位")
    return (time.perf_counter() - t0) / max(1, accepted), len(candidates)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=30)
    parser.add_argument("--columns", type=int, default=40)
    parser.add_argument("--links", type=int, default=400)
    parser.add_argument("--stories", type=int, default=1_000, help="信息报送: stories offered to one column")
    args = parser.parse_args(argv)
    if args.small:
        args.articles, args.sites, args.columns, args.links, args.stories = 3_000, 5, 10, 60, 50

    workdir = tempfile.mkdtemp(prefix="bench-oversight-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/oversight.sqlite3")
    os.environ.setdefault("SITEGROUP_VAR_DIR", workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sitegroup.freshness.assess import assess
    from sitegroup.inspection.checker import ExternalChecker
    from sites.columns import ColumnKind
    from sites.models import ColumnPage
    from tests.benchmarks.bulkpages import add_articles
    from tests.factories import make_site

    call_command("migrate", verbosity=0)
    rng = random.Random(5)
    started = time.perf_counter()
    columns = []
    for i in range(args.sites):
        profile = make_site("county", name=f"站点{i}", code=f"s{i}", hostname=f"s{i}.localhost")
        home = profile.site.root_page
        existing = list(ColumnPage.objects.child_of(home))
        for n in range(len(existing), args.columns):
            column = ColumnPage(title=f"栏目{n}", slug=f"c{n}", kind=rng.choice(ColumnKind.values))
            home.add_child(instance=column)
            column.save_revision().publish()
            existing.append(column)
        columns += existing
    per_column = max(1, args.articles // len(columns))
    today = datetime.date(2026, 11, 24)
    for column in columns:
        add_articles(column, [
            {"title": f"文章{n}", "body": "内容", "date": today - datetime.timedelta(days=rng.randrange(400))}
            for n in range(per_column)
        ])
    build_s = time.perf_counter() - started

    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            results = assess(today=today)
            times.append(time.perf_counter() - t0)
    red = sum(1 for r in results if r.status == "red")

    eval_times, eval_queries, accept_s, stories = evaluation_bench(today, rng, args.stories)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    urls = [f"{base}/{rng.choice(['ok', 'slow', 'fail'])}/{n}" for n in range(args.links)]
    checker = ExternalChecker(concurrency=16, timeout=2, per_host_delay=0.0)
    t0 = time.perf_counter()
    outcome = checker.run(urls)
    link_s = time.perf_counter() - t0
    httpd.shutdown()

    print(f"{args.sites} sites x {args.columns} columns, {per_column * len(columns)} articles (built in {build_s:.0f}s)")
    print(f"freshness assessment (dashboard / check_freshness): median {statistics.median(times) * 1000:.0f} ms, "
          f"{len(ctx.captured_queries)} queries, {red} red sites")
    print(f"信息报送: {stories} stories offered, accepting one (copy page, publish, index) took "
          f"{accept_s * 1000:.0f} ms")
    print(f"evaluation score cards (绩效评估, all criteria, with {stories} syndicated stories): "
          f"median {statistics.median(eval_times) * 1000:.0f} ms, {eval_queries} queries")
    broken = sum(1 for v in outcome.values() if v)
    print(f"link inspection: {len(urls)} links in {link_s:.1f}s = {len(urls) / link_s:.0f} links/s "
          f"(a third slow at 200 ms, a third failing; {broken} reported broken; no per-host delay)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
