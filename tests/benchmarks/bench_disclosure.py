"""政府信息公开 at scale: the public catalogue (/gkml/) per site and group-wide,
the office's 主动公开时效 and 依申请公开 dashboards, and the annual report,
over 100,000 catalogue entries and 20,000 applications on 30 sites.

1. Data. 30 sites (the portal and 29 counties); DisclosureEntryPage rows written
   in bulk (tree rows with Page.bulk_create, the two child tables with one
   executemany each, as bulkpages.add_articles does for articles), with a
   realistic mix: 体裁 and 主题分类 skewed as real catalogues are, 成文日期 over
   seven years weighted to recent ones, index numbers in the group format,
   publishing deadlines from the real working-day calendar, about 5% 已废止
   (some linked to what replaced them), 3% 已修订, some published late, some
   unpublished past their deadline and some within the amber window. One county
   (测试县1) holds 10% of the entries, so its catalogue has more than 50 pages.
   Applications are bulk-created with statuses, pauses, extensions, transfers,
   results and due dates mixed; some are overdue. The last county receives
   exactly one, for a one-row inbox.
2. The public catalogue as an anonymous visitor (Django test client, median of
   5): one county's /gkml/ (first page, page 50, filters, a title search, one
   row by index number), its /gknb/, and the portal's group-wide catalogue over
   all 30 sites. Each request has a query string of its own, so the page cache
   always misses (checked), as it would for the first visitor after a publish.
3. The office dashboards as the group office user: 主动公开时效, the inbox
   (overdue, open, all, one site with one row) and the annual report page.
4. by_site(), problem_entries() and report.build() alone.

Everything is measured at 1/10 of the data and at full size; the run exits
non-zero if a page's SQL count grows with the data, or if a catalogue or inbox
page makes more queries for a full page than for a single row. The heaviest
query of each page is run again to its last row, and SQLite's plan is printed
for any over 20 ms.

    python -m tests.benchmarks.bench_disclosure [--small]
"""

import argparse
import datetime
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
import uuid
from pathlib import Path
from urllib.parse import quote

CLK_TCK = os.sysconf("SC_CLK_TCK")

SUBJECTS = [
    "农村人居环境整治", "城镇老旧小区改造", "优化营商环境", "安全生产专项整治", "义务教育学校招生",
    "城乡居民基本医疗保险", "防汛抗旱应急预案", "耕地保护和永久基本农田", "生态环境保护督察整改",
    "重点项目建设", "就业创业补贴", "最低生活保障", "政府信息公开工作", "财政预算执行", "林长制",
    "河湖长制", "消防安全", "食品安全", "乡村振兴", "数字政府建设",
]
GENRE_WORDS = {
    "regulation": "管理办法", "normative": "实施意见", "licensing": "行政许可决定", "penalty": "行政处罚决定书",
    "coercion": "行政强制决定", "fees": "收费标准公示", "plan": "工作计划", "report": "工作报告",
    "notice": "通知", "other": "情况说明",
}
GENRE_WEIGHTS = {
    "notice": 28, "other": 18, "licensing": 14, "penalty": 11, "normative": 8, "plan": 7, "report": 3,
    "coercion": 3, "fees": 3, "regulation": 1,
}
ISSUERS = ["人民政府", "人民政府办公室", "发展和改革委员会", "财政局", "教育局", "自然资源局", "生态环境局",
           "住房和城乡建设局", "农业农村局", "市场监督管理局", "应急管理局"]


# ---------------------------------------------------------------- helpers

def machine_cpu_seconds():
    """CPU-seconds the whole machine has been busy (all cores, from /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLK_TCK


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pad(text, width):
    """Left-align ``text`` in ``width`` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


class CpuWindow:
    """This process's CPU and everyone else's over a stretch of wall time."""

    def __enter__(self):
        self.wall, self.own, self.machine = time.perf_counter(), own_cpu_seconds(), machine_cpu_seconds()
        return self

    def __exit__(self, *exc):
        self.elapsed = time.perf_counter() - self.wall
        self.own = own_cpu_seconds() - self.own
        self.machine = machine_cpu_seconds() - self.machine
        return False

    def describe(self):
        if not self.elapsed:
            return "no time elapsed"
        own = self.own / self.elapsed
        other = max(0.0, self.machine / self.elapsed - own)
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        return (f"this process {own:.2f} cores, other processes {other:.2f} cores (of {os.cpu_count()}); "
                f"load average {load}")


class WorkingDays:
    """add_working_days on the real group calendar, memoised: the bench data
    has a few thousand distinct start dates and ten times as many rows."""

    def __init__(self):
        from sitegroup.workdays.calendar import add_working_days

        self._add, self._memo = add_working_days, {}

    def add(self, day, n):
        key = (day, n)
        if key not in self._memo:
            self._memo[key] = self._add(day, n)
        return self._memo[key]


def _step(n):
    from wagtail.models import Page

    alphabet, out = Page.alphabet, ""
    while n:
        n, rem = divmod(n, len(alphabet))
        out = alphabet[rem] + out
    return out.rjust(Page.steplen, "0")


def insert_rows(model, rows, raw=()):
    """INSERT one model's own table (not its parents') for ``rows`` (attname -> value);
    fields missing from a row get their default. ``raw`` names fields passed as-is."""
    from django.db import connection

    fields = model._meta.local_concrete_fields
    defaults = {f.attname: f.get_default() for f in fields}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = []
    for row in rows:
        values.append(tuple(
            row[f.attname] if f.attname in raw else f.get_db_prep_save(row.get(f.attname, defaults[f.attname]),
                                                                         connection)
            for f in fields
        ))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
                           f"VALUES ({marks})", values)


# ------------------------------------------------------------------ build

def build_sites(count):
    from tests.factories import column, make_site

    profiles, columns = [], {}
    for i in range(count):
        if i == 0:
            profile = make_site("portal", port=80)
        else:
            profile = make_site("county", name=f"测试县{i}", code=f"xian{i}", hostname=f"xian{i}.localhost")
        profiles.append(profile)
        columns[profile.pk] = column(profile, "xxgk")
    return profiles, columns


class EntryMaker:
    """Catalogue entries in bulk, serials continuing across calls."""

    def __init__(self, profiles, columns, rng, today):
        self.profiles, self.columns, self.rng, self.today = profiles, columns, rng, today
        self.days = WorkingDays()
        self.serial = 0
        self.index_serials = {}  # (site pk, year) -> last serial
        # the portal 5%, 测试县1 10%, the other counties the rest, unevenly
        self.weights = [5, 10] + [85 / (len(profiles) - 2) * rng.uniform(0.5, 1.5) for _ in profiles[2:]]
        self.genres, self.genre_weights = list(GENRE_WEIGHTS), list(GENRE_WEIGHTS.values())
        self.mix = {"entries": 0, "unpublished": 0, "overdue": 0, "late": 0, "repealed": 0, "amended": 0}

    def _topic(self, genre):
        from sites.disclosure.catalogue import TOPICS

        fixed = {"normative": "政策法规", "regulation": "政策法规", "plan": "规划计划", "report": "政府信息公开年报",
                 "licensing": "行政许可与服务"}
        if genre in fixed and self.rng.random() < 0.6:
            return fixed[genre]
        return TOPICS[min(len(TOPICS) - 1, int(self.rng.expovariate(0.15)))]

    def add(self, count):
        from django.contrib.contenttypes.models import ContentType
        from django.db import transaction
        from django.utils import timezone
        from wagtail.models import Locale, Page

        from sites.models import ArticlePage, DisclosureEntryPage

        rng = self.rng
        tz = timezone.get_current_timezone()
        content_type = ContentType.objects.get_for_model(DisclosureEntryPage)
        locale_id = Locale.get_default().pk
        chosen = rng.choices(self.profiles, weights=self.weights, k=count)
        by_site = {}
        for profile in chosen:
            by_site.setdefault(profile.pk, []).append(profile)
        with transaction.atomic():
            for site_pk, batch in by_site.items():
                profile = batch[0]
                column = Page.objects.get(pk=self.columns[site_pk].pk)
                start = column.numchild  # entries published through Wagtail meanwhile count too
                pages, rows = [], []
                for offset in range(1, len(batch) + 1):
                    self.serial += 1
                    page, row = self._entry(profile, column, start + offset, tz, content_type, locale_id)
                    pages.append(page)
                    rows.append(row)
                Page.objects.bulk_create(pages, batch_size=2000)
                pk_by_path = dict(Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk"))
                previous = None
                for page, row in zip(pages, rows, strict=True):
                    pk = pk_by_path[page.path]
                    row["page_ptr_id"] = row["articlepage_ptr_id"] = pk
                    if row.pop("_replaced") and previous:
                        row["replaced_by_id"] = previous
                    previous = pk
                insert_rows(ArticlePage, rows, raw=("body",))
                insert_rows(DisclosureEntryPage, rows)
                Page.objects.filter(pk=column.pk).update(numchild=start + len(batch))

    def _entry(self, profile, column, step, tz, content_type, locale_id):
        from wagtail.models import Page

        rng, today, serial = self.rng, self.today, self.serial
        genre = rng.choices(self.genres, weights=self.genre_weights)[0]
        written = today - datetime.timedelta(days=int(rng.triangular(0, 2500, 150)))
        formed = written + datetime.timedelta(days=rng.randrange(1, 10)) if rng.random() < 0.15 else None
        deadline = self.days.add(formed or written, 20)
        age = (today - written).days
        # Unpublished: most recent drafts wait for review; a few old ones were forgotten (逾期未公开).
        unpublished = rng.random() < (0.5 if age < 30 else 0.02)
        late = False
        if unpublished:
            first = None
            self.mix["unpublished"] += 1
            self.mix["overdue"] += deadline < today
        else:
            if rng.random() < 0.05:  # 超期公开
                published_on = deadline + datetime.timedelta(days=rng.randrange(1, 60))
            else:
                published_on = (formed or written) + datetime.timedelta(days=rng.randrange(0, 20))
            published_on = min(today, published_on)
            late = published_on > deadline
            self.mix["late"] += late
            first = datetime.datetime.combine(published_on, datetime.time(9 + rng.randrange(9), rng.randrange(60)),
                                              tzinfo=tz)
        roll = rng.random()
        validity = "repealed" if roll < 0.05 else "amended" if roll < 0.08 else "na" if roll < 0.10 else "valid"
        if genre not in ("regulation", "normative", "plan", "other", "notice") and validity in ("repealed", "amended"):
            validity = "valid" if rng.random() < 0.5 else validity
        self.mix["repealed"] += validity == "repealed"
        self.mix["amended"] += validity == "amended"
        self.mix["entries"] += 1
        issuer = profile.name + ISSUERS[min(len(ISSUERS) - 1, int(rng.expovariate(0.4)))]
        subject = SUBJECTS[int(rng.triangular(0, len(SUBJECTS), 0))]
        title = f"{issuer}关于{subject}的{GENRE_WORDS[genre]}（第{serial}号）"
        key = (profile.pk, written.year)
        self.index_serials[key] = self.index_serials.get(key, 0) + 1
        index_number = f"{profile.site_id_code}/{written.year}-{self.index_serials[key]:05d}"
        number = f"{profile.code}{'府' if genre in ('regulation', 'normative') else '字'}〔{written.year}〕" \
                 f"{self.index_serials[key]}号" if genre in ("regulation", "normative", "plan", "notice") else ""
        slug = f"e{step}"
        page = Page(
            title=title, draft_title=title, slug=slug, path=column.path + _step(step), depth=column.depth + 1,
            numchild=0, url_path=f"{column.url_path}{slug}/", live=not unpublished,
            has_unpublished_changes=unpublished, first_published_at=first, last_published_at=first,
            latest_revision_created_at=first, content_type=content_type, locale_id=locale_id,
            translation_key=uuid.uuid4(),
        )
        body = json.dumps([{"type": "paragraph", "value": f"<p>为{subject}，现将有关事项{GENRE_WORDS[genre]}如下。</p>",
                            "id": str(uuid.uuid4())}], ensure_ascii=False)
        row = {
            "subtitle": "", "source": issuer, "author": "", "date": first.date() if first else written, "summary": "",
            "body": body, "index_number": index_number, "genre": genre, "formed_on": formed,
            "keywords": subject, "publish_deadline": deadline, "published_late": late, "issuer": issuer,
            "document_number": number, "topic": self._topic(genre), "written_date": written, "validity": validity,
            "_replaced": validity in ("repealed", "amended") and rng.random() < 0.5,
        }
        return page, row


class ApplicationMaker:
    """依申请公开 applications in bulk; the last site gets none (it has one of its own)."""

    def __init__(self, profiles, rng, today):
        from sites.disclosure.kinds import GROUNDS

        self.profiles, self.rng, self.today = profiles[:-1], rng, today
        self.days = WorkingDays()
        self.serial = 0
        self.grounds = GROUNDS

    def add(self, count):
        from django.utils import timezone

        from sites.disclosure.kinds import ApplicantKind, Delivery, Result, State
        from sites.disclosure.models import Application

        rng, today = self.rng, self.today
        tz = timezone.get_current_timezone()
        kinds = [k.value for k in ApplicantKind]
        results = [r.value for r in Result]
        rows = []
        for _ in range(count):
            self.serial += 1
            serial = self.serial
            received_on = today - datetime.timedelta(days=int(rng.triangular(0, 800, 0)))
            age = (today - received_on).days
            received_site = rng.choice(self.profiles)
            site, transfers, clock = received_site, 0, received_on
            if rng.random() < 0.03:  # 转办
                site = rng.choice([p for p in self.profiles if p.pk != received_site.pk])
                transfers = 1
                clock = min(today, received_on + datetime.timedelta(days=rng.randrange(1, 6)))
            roll = rng.random()
            if age <= 30:
                status = (State.RECEIVED if roll < 0.2 else State.REGISTERED if roll < 0.6 else
                          State.CORRECTION if roll < 0.68 else State.CONSULTATION if roll < 0.72 else State.ANSWERED)
            else:  # older: mostly answered; the rest overdue or paused for a long time
                status = (State.ANSWERED if roll < 0.93 else State.REGISTERED if roll < 0.97 else
                          State.RECEIVED if roll < 0.98 else State.CORRECTION if roll < 0.995 else State.CONSULTATION)
            kind = rng.choices(kinds, weights=[85, 8, 2, 2, 2, 1])[0]
            extension = rng.randrange(5, 21) if rng.random() < 0.08 else 0
            consultation = rng.randrange(3, 16) if rng.random() < 0.04 else 0
            received_at = datetime.datetime.combine(received_on, datetime.time(8 + rng.randrange(10), rng.randrange(60)),
                                                    tzinfo=tz)
            application = Application(
                code=f"Y{serial:011d}", site=site, received_site=received_site, applicant_kind=kind,
                name="张三" if kind == ApplicantKind.NATURAL else "九江某某有限公司",
                id_type="resident" if kind == ApplicantKind.NATURAL else "credit_code",
                id_number=f"3604{serial:012d}12" if kind == ApplicantKind.NATURAL else "91360400MA35ABCD12",
                phone=f"139{serial:08d}", description=f"申请公开{SUBJECTS[serial % len(SUBJECTS)]}的有关文件（第{serial}件）。",
                delivery=rng.choice([d.value for d in Delivery]), address=f"10.{serial % 250}.{serial // 250 % 250}.9",
                fingerprint=f"{serial:064x}", status=status, received_at=received_at, received_on=received_on,
                registered_at=None if status == State.RECEIVED else received_at + datetime.timedelta(hours=3),
                clock_start=clock, limit_days=20, extension_days=extension, consultation_days=consultation,
                extension_reason="情况复杂" if extension else "", transfer_count=transfers,
            )
            if status in (State.CORRECTION, State.CONSULTATION):
                application.paused_since = min(today, clock + datetime.timedelta(days=rng.randrange(1, 8)))
                application.due_on = None
                if status == State.CORRECTION:
                    application.correction_request = "请写明所需信息的名称或文号"
            else:
                application.due_on = self.days.add(clock, 20 + extension + consultation)
            if status == State.ANSWERED:
                spent = rng.randrange(3, 28) if rng.random() < 0.9 else rng.randrange(28, 70)
                application.answered_on = min(today, clock + datetime.timedelta(days=spent))
                result = rng.choices(results, weights=[45, 15, 8, 20, 5, 7])[0]
                grounds = self.grounds.get(result, [])
                application.result = result
                application.ground = rng.choice(grounds)[0] if grounds else ""
                application.reply_text = "经审查，现答复如下。"
            rows.append(application)
        Application.objects.bulk_create(rows, batch_size=2000)


def single_application(profile, today):
    from sites.disclosure.models import Application

    return Application.objects.create(
        code="Z00000000001", site=profile, received_site=profile, applicant_kind="natural", name="李四",
        id_type="resident", id_number="360402199001011235", phone="13907920000", description="单独一件申请。",
        delivery="email", fingerprint="f" * 64, status="registered", received_on=today, clock_start=today,
        limit_days=20, due_on=today + datetime.timedelta(days=28),
    )


# ---------------------------------------------------------------- measure

def rerun_ms(sql):
    """A captured SELECT run again to its last row. The captured time is not
    enough on SQLite: execute() returns after the first row, so a grouped
    aggregate streamed row by row does most of its work after the clock stops.
    Best of three for anything over 5 ms: other processes share the CPU."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return 0.0
    best = None
    with connection.cursor() as cursor:
        for _ in range(3):
            t0 = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            ms = (time.perf_counter() - t0) * 1000
            best = ms if best is None else min(best, ms)
            if best < 5:
                break
    return best


def costliest(queries):
    """[(rerun ms, sql)] of the captured queries, costliest first."""
    return sorted(((rerun_ms(q["sql"]), q["sql"]) for q in queries), key=lambda t: -t[0]) or [(0.0, "")]


def query_plan(sql):
    from django.db import connection

    if connection.vendor != "sqlite" or not sql.lstrip().upper().startswith("SELECT"):
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [row[-1] for row in cursor.fetchall()]
    except Exception as exc:  # noqa: BLE001 - a plan is a hint, never a failure
        return [f"(no plan: {exc})"]


COUNT_RE = re.compile(r"共 (\d+) 条")
PAGE_RE = re.compile(r"第 (\d+) 页 / 共 (\d+) 页")


class Timer:
    def __init__(self, repeats):
        self.repeats, self.bust = repeats, 0

    def _url(self, url, public):
        if not public:
            return url
        self.bust += 1  # a query string of its own: the page cache cannot answer it
        return url + ("&" if "?" in url else "?") + f"_bench={self.bust}"

    def pages(self, client, pages, public, host=None):
        """name -> dict(ms, sql, heaviest ms, heaviest sql, bytes, rows, page)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        extra = {"HTTP_HOST": host} if host else {}
        out = {}
        for name, url in pages:
            response = client.get(self._url(url, public), **extra)  # warm: templates, site root paths
            assert response.status_code == 200, (name, url, response.status_code)
            times = []
            for _ in range(self.repeats):
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.perf_counter()
                    response = client.get(self._url(url, public), **extra)
                    body = response.content
                    times.append(time.perf_counter() - t0)
                assert response.status_code == 200, (name, url, response.status_code)
                assert response.get("X-Page-Cache") != "hit", (name, "served from the page cache")
            html = body.decode("utf-8", "replace")
            rows = COUNT_RE.search(html)
            page = PAGE_RE.search(html)
            ranked = costliest(ctx.captured_queries)
            out[name] = {
                "ms": statistics.median(times) * 1000, "sql": len(ctx.captured_queries), "heavy_ms": ranked[0][0],
                "ranked": ranked, "bytes": len(body), "rows": int(rows.group(1)) if rows else None,
                "page": f"{page.group(1)}/{page.group(2)}" if page else "",
            }
        return out

    def call(self, fn):
        """(median ms, SQL count, heaviest ms, heaviest SQL) of a function."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        fn()
        times = []
        for _ in range(self.repeats):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
        ranked = costliest(ctx.captured_queries)
        return {"ms": statistics.median(times) * 1000, "sql": len(ctx.captured_queries), "heavy_ms": ranked[0][0],
                "ranked": ranked, "bytes": 0, "rows": None, "page": ""}


def public_pages(county_entry):
    topic = quote("政策法规")
    q = quote("农村人居环境整治")
    return [
        ("/gkml/", "/gkml/"),
        ("/gkml/?page=50", "/gkml/?page=50"),
        ("?genre=normative", "/gkml/?genre=normative"),
        ("?year=2025", "/gkml/?year=2025"),
        ("?topic=政策法规", f"/gkml/?topic={topic}"),
        ("?q=农村人居环境整治", f"/gkml/?q={q}"),
        ("?genre=…&validity=repealed", "/gkml/?genre=normative&validity=repealed"),
        ("one row (?q=index number)", f"/gkml/?q={quote(county_entry)}"),
        ("/gknb/ (annual reports)", "/gknb/"),
    ]


def portal_pages(county_pk, portal_entry):
    return [
        ("/gkml/ (group-wide)", "/gkml/"),
        ("/gkml/?page=50", "/gkml/?page=50"),
        ("?genre=normative&year=2025", "/gkml/?genre=normative&year=2025"),
        ("?q=农村人居环境整治", f"/gkml/?q={quote('农村人居环境整治')}"),
        ("?site=测试县1", f"/gkml/?site={county_pk}"),
        ("one row (?q=index number)", f"/gkml/?q={quote(portal_entry)}"),
        ("?scope=site (portal's own)", "/gkml/?scope=site"),
    ]


def office_pages(county_pk, portal_pk, lone_pk):
    from django.urls import reverse

    inbox, report = reverse("ysqgk_inbox"), reverse("ysqgk_report")
    return [
        ("主动公开时效 (timeliness)", reverse("ysqgk_timeliness")),
        ("inbox ?status=overdue", inbox + "?status=overdue"),
        ("inbox (open)", inbox),
        ("inbox ?status=all", inbox + "?status=all"),
        ("inbox, one row (?site=)", inbox + f"?status=all&site={lone_pk}"),
        ("annual report 测试县1 2025", report + f"?site={county_pk}&year=2025"),
        ("annual report portal 2025", report + f"?site={portal_pk}&year=2025"),
    ]


def functions(profiles, columns, today):
    from sitegroup.registry.models import SiteProfile, SiteStatus
    from sites.disclosure.catalogue import prepare
    from sites.disclosure.report import build
    from sites.disclosure.timeliness import by_site, problem_entries
    from sites.models import DisclosureEntryPage

    running = SiteProfile.objects.filter(status=SiteStatus.RUNNING)
    county, portal = profiles[1], profiles[0]
    column = columns[county.pk]
    serial = iter(range(10**6))

    def new_entry():
        n = next(serial)
        return DisclosureEntryPage(
            title=f"基准测试新增文件{n}", slug=f"bench-new-{n}-{uuid.uuid4().hex[:6]}", live=False,
            written_date=today, date=today, issuer="测试县1人民政府办公室", topic="综合政务", genre="notice",
            body=[("paragraph", "<p>正文。</p>")],
        )

    def prepare_new():
        entry = new_entry()
        entry.path, entry.depth = column.path + "ZZZZ", column.depth + 1  # where add_child would put it
        prepare(entry)

    def publish_new():
        from wagtail.models import Page

        entry = new_entry()
        Page.objects.get(pk=column.pk).add_child(instance=entry)
        entry.save_revision().publish()

    return [
        ("timeliness.by_site(30 sites)", lambda: by_site(running)),
        ("timeliness.problem_entries()", lambda: list(problem_entries(running))),
        ("report.build(测试县1, 2025)", lambda: build(county, 2025)),
        ("report.build(portal, 2025)", lambda: build(portal, 2025)),
        ("catalogue.prepare(new entry)", prepare_new),
        ("add + publish one entry", publish_new),
    ]


def sample_index_number(profile):
    from sites.models import DisclosureEntryPage
    from sites.visibility import descendants_q

    return (DisclosureEntryPage.objects.live().filter(descendants_q(profile.site.root_page))
            .order_by("pk").values_list("index_number", flat=True).first())


def bench(args, profiles, columns, rng, today):
    from django.test import Client

    from sitegroup.registry.roles import ensure_office_group
    from tests.factories import make_user

    entries = EntryMaker(profiles, columns, rng, today)
    applications = ApplicationMaker(profiles, rng, today)
    lone = profiles[-1]
    single_application(lone, today)
    office = make_user("bench-office", groups=[ensure_office_group()])
    office_client = Client()
    office_client.force_login(office)
    visitor = Client()
    timer = Timer(args.repeats)
    county, portal = profiles[1], profiles[0]

    stages = []
    for fraction in (10, 1):
        target_entries, target_apps = args.entries // fraction, args.applications // fraction
        t0 = time.perf_counter()
        entries.add(target_entries - entries.serial)
        entries_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        applications.add(target_apps - applications.serial)
        apps_s = time.perf_counter() - t0
        county_entry, portal_entry = sample_index_number(county), sample_index_number(profiles[5])
        county_entries = county_count(county)  # before "add + publish one entry" adds a few
        with CpuWindow() as cpu:
            stage = {
                "entries": target_entries, "applications": target_apps, "entries_s": entries_s, "apps_s": apps_s,
                "county": timer.pages(visitor, public_pages(county_entry), True, county.site.hostname),
                "portal": timer.pages(visitor, portal_pages(county.pk, portal_entry), True, portal.site.hostname),
                "office": timer.pages(office_client, office_pages(county.pk, portal.pk, lone.pk), False),
                "functions": {name: timer.call(fn) for name, fn in functions(profiles, columns, today)},
            }
        stage["cpu"] = cpu.describe()
        stage["county_entries"] = county_entries
        stages.append(stage)
    return stages, entries.mix, application_mix(today)


def county_count(profile):
    from sites.models import DisclosureEntryPage
    from sites.visibility import descendants_q

    return DisclosureEntryPage.objects.live().filter(descendants_q(profile.site.root_page)).count()


def application_mix(today):
    from django.db.models import Count, Q

    from sites.disclosure.kinds import OPEN, PAUSED
    from sites.disclosure.models import Application

    return Application.objects.aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN)),
        overdue=Count("pk", filter=Q(status__in=OPEN, due_on__lt=today)),
        paused=Count("pk", filter=Q(status__in=PAUSED)), answered=Count("pk", filter=Q(status="answered")),
        transferred=Count("pk", filter=Q(transfer_count__gt=0)),
    )


# ----------------------------------------------------------------- report

def shorten(sql, width=300):
    """One line; the select list and the joins elided so that the WHERE clause shows."""
    sql = re.sub(r"\s+", " ", sql).strip()
    head, sep, rest = sql.partition(" FROM ")
    if sep and head.upper().startswith("SELECT"):
        tables, where_sep, where = rest.partition(" WHERE ")
        joins = tables.count(" JOIN ")
        first = tables.split(" ", 1)[0]
        head = head if len(head) <= 70 else head[:60] + " …"
        sql = f"{head} FROM {first}{f' (+{joins} joins)' if joins else ''}{where_sep}{where}"
    return sql[:width] + ("…" if len(sql) > width else "")


def report(args, stages, mix, apps, build_sites_s):
    failures = []
    small, full = stages
    print(f"\n[data] {args.sites} sites (provisioned in {build_sites_s:.0f}s); {full['entries']:,} catalogue entries "
          f"(bulk-written in {small['entries_s'] + full['entries_s']:.1f}s): {mix['unpublished']:,} unpublished "
          f"({mix['overdue']:,} past their deadline), {mix['late']:,} published late, {mix['repealed']:,} 已废止, "
          f"{mix['amended']:,} 已修订; 测试县1 holds {full['county_entries']:,} live entries")
    print(f"       {apps['total']:,} applications (bulk-created in {small['apps_s'] + full['apps_s']:.1f}s): "
          f"{apps['open']:,} open ({apps['overdue']:,} overdue, {apps['paused']:,} paused), "
          f"{apps['answered']:,} answered, {apps['transferred']:,} transferred")
    print(f"Django test client, SQLite, median of {args.repeats}; SQL = queries per request; heaviest = the "
          "costliest query of the request run again to its last row; rows = 共 N 条")
    sections = [
        ("county", f"[public catalogue] {small['county_entries']:,} → {full['county_entries']:,} live entries on "
                   "测试县1, anonymous, page cache missed on purpose"),
        ("portal", "[portal catalogue] group-wide over all 30 sites, anonymous (never page-cached)"),
        ("office", "[office dashboards] as the group office user"),
        ("functions", "[functions alone]"),
    ]
    for key, title in sections:
        print(f"\n{title}")
        print(f"{'':30} | {small['entries']:>7,} entries        | {full['entries']:>7,} entries")
        print(f"{'page':30} | {'ms':>7} {'SQL':>4} {'rows':>7} | {'ms':>7} {'SQL':>4} {'rows':>7} {'page':>7} "
              f"{'heaviest':>9} | {'bytes':>7}")
        for name in small[key]:
            s, f = small[key][name], full[key][name]
            flag = "" if f["sql"] <= s["sql"] else "  <-- query count grows with the data"
            s_rows = f"{s['rows']:,}" if s["rows"] is not None else ""
            f_rows = f"{f['rows']:,}" if f["rows"] is not None else ""
            print(f"{pad(name, 30)} | {s['ms']:>7.1f} {s['sql']:>4} {s_rows:>7} | {f['ms']:>7.1f} {f['sql']:>4} "
                  f"{f_rows:>7} {f['page']:>7} {f['heavy_ms']:>7.1f}ms | {f['bytes']:>7,}{flag}")
            if f["sql"] > s["sql"]:
                failures.append(f"{key} {name}: {s['sql']} queries at {small['entries']:,} entries, "
                                f"{f['sql']} at {full['entries']:,}")
    for key, one, page in (("county", "one row (?q=index number)", "/gkml/"),
                           ("portal", "one row (?q=index number)", "/gkml/ (group-wide)"),
                           ("office", "inbox, one row (?site=)", "inbox ?status=all")):
        a, b = full[key][one]["sql"], full[key][page]["sql"]
        if a != b:
            failures.append(f"{key}: {a} queries for one row but {b} for a full page ({page}) - a query per row")
    print(f"\nCPU while measuring: at 1/10 {small['cpu']}; at full size {full['cpu']}")
    print("costliest queries per page at full size, run again to the last row (best of 3): the heaviest, "
          "and up to 3 over 20 ms with SQLite's plan")
    planned = {}
    for key, _title in sections:
        for name, row in full[key].items():
            for rank, (ms, sql) in enumerate(row["ranked"][:3]):
                if rank and ms <= 20:
                    break
                label = pad(key + " " + name, 40) if rank == 0 else " " * 40
                print(f"  {label} {ms:7.1f} ms  {shorten(sql)}")
                if ms > 20:
                    if sql in planned:
                        print(f"  {'':40}            plan: as {planned[sql]} above")
                        continue
                    planned[sql] = f"{key} {name}"
                    for step in query_plan(sql):
                        print(f"  {'':40}            plan: {step}")
    print("query counts fixed (same at 1/10 and full size, one row = full page):", "yes" if not failures else "NO")
    return failures


# ------------------------------------------------------------------- main

def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--sites", type=int, default=30)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    if args.small:
        args.entries, args.applications = 5_000, 1_000

    workdir = Path(tempfile.mkdtemp(prefix="bench-disclosure-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'disclosure.sqlite3'}"
    os.environ["SITEGROUP_VAR_DIR"] = str(workdir / "var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.settings"
    os.environ["CACHE_KEY_PREFIX"] = f"bench-disclosure-{os.getpid()}"
    os.environ.pop("REDIS_URL", None)  # the file cache: no shared state with other runs
    (workdir / "var" / "static").mkdir(parents=True)  # WhiteNoise warns about a missing STATIC_ROOT
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        rng = random.Random(13)
        today = timezone.localdate()
        t0 = time.perf_counter()
        profiles, columns = build_sites(args.sites)
        build_sites_s = time.perf_counter() - t0
        stages, mix, apps = bench(args, profiles, columns, rng, today)
        failures = report(args, stages, mix, apps, build_sites_s)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
