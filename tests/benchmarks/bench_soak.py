"""Mixed soak: ten minutes of public pages, search, public submissions and admin
edits against gunicorn, PostgreSQL, Redis and the database task backend.

1. Data (a child process, as bench_site does): bench_site.build's sites and
   articles in a throwaway PostgreSQL database, the search index rebuilt, a
   写信 channel on one county site (the per-address limits raised, as
   bench_interaction does), one editor account per virtual user, each with
   articles of its own on a county or department site. The edit form's POST is
   built with Wagtail's form_data helpers and checked once with the test
   client before the server starts.
2. Load. gunicorn (sync workers, the Redis cache, the page cache on) and
   ``manage.py db_worker`` beside it, as ``make run`` starts them (each saved
   draft queues Wagtail's search and reference index tasks there). N virtual
   users in one asyncio client, closed loop, no think time; each picks its
   next action by weight:
     page    a home page, a column or an article of a random site, with that
             site's Host header (cookieless, so the page cache answers repeat
             visits; the hit ratio is reported)
     search  /search/?q=… on a random site (never cached)
     form    GET the 写信 form (a new visitor: no cookies), read the image
             challenge's answer from the database as the tests and
             bench_interaction do, POST with the honeypot empty; each title
             differs so the duplicate check lets it through; expects the
             query code back
     admin   an editor signed in through the real sign-in form (with CSRF):
             GET an article's edit view, POST it back as "save draft" with a
             changed paragraph and the loaded revision; expects the redirect
             to the edit view
   Pages and search use loadgen's raw-socket request (cheap for the client);
   forms and admin use httpx. After a warm-up with the same mix, the RSS of
   every gunicorn worker is read from /proc (and sampled during the run); at
   the end, again.
3. Checks: every response as expected (errors per kind, target 0), every
   returned query code stored, a revision per saved draft, the same worker
   processes at the end as at the start, and the workers' total RSS within
   10% of the post-warm-up figure. Exits non-zero otherwise.

    python -m tests.benchmarks.bench_soak [--small] [--duration SECONDS]
        [--concurrency N] [--workers N] [--mix page=75,search=15,form=4,admin=6]
"""

import argparse
import asyncio
import contextlib
import io
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from tests.benchmarks import loadgen
from tests.benchmarks.bench_interaction import (
    CODE_RE,
    CONTENT,
    CSRF_RE,
    KEY_RE,
    TITLES,
    cpu_split,
    machine_cpu_seconds,
    pct,
    set_limits,
    start_gunicorn,
    stop,
    tree_cpu_seconds,
)
from tests.benchmarks.bench_site import PG_ADMIN_URL, PHRASES, free_port

ROOT = Path(__file__).resolve().parents[2]
PG_DB = "bench_sitegroup_soak"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
COLUMN_SLUGS = ("ywdt", "tzgg", "zcwj", "xxgk", "hdjl", "ztzl")  # what bench_site.build fills
SEARCHES = ["政务公开", "营商环境", "防汛抗旱", "乡村振兴", "网站集约化", "社会保险", "电子政务", "长江经济带",
            "值班读网", "庐山西海", "政务公开 标准化", "生态环境 督察", "一网通办 服务", "查无此词语"]
PAGE_SHARE = {"home": 0.2, "column": 0.3, "article": 0.5}
BODY_MARK = "SOAKBODY"
EDITOR_ARTICLES = 3
MEMORY_LIMIT = 0.10
WARMUP_EXTRA = 240.0  # the longest the warm-up may wait for every kind to have been served
WARM_KINDS = {"page": ["page home", "page column", "page article"], "search": ["search"],
              "form": ["form POST"], "admin": ["admin POST save"]}

REV_ID_RE = re.compile(r'name="loaded_revision_id"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="loaded_revision_id"')
REV_AT_RE = re.compile(
    r'name="loaded_revision_created_at"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="loaded_revision_created_at"'
)
ERROR_RE = re.compile(r'class="[^"]*(?:error-message|help-critical|messages)[^"]*"[^>]*>(.*?)</', re.S)


# ---------------------------------------------------------------- build (child)

def build(args):
    from tests.benchmarks.bench_site import build as build_site_data

    started = time.perf_counter()
    # bench_site.build: django.setup(), migrate, the sites and the articles; it prints its own JSON.
    with contextlib.redirect_stdout(io.StringIO()) as out:
        build_site_data(args.sites, args.articles)
    site_info = json.loads(out.getvalue().strip().splitlines()[-1])

    from django.core.management import call_command
    from django.test import Client
    from django_tasks_db.models import DBTaskResult
    from wagtail.models import Revision
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    from search.models import QueryLog
    from sitegroup.registry.models import SiteProfile
    from sites.interaction.models import InteractionChannelPage, Message
    from sites.models import ArticlePage
    from tests.factories import column, make_article, make_user

    print(f"  sites and articles: {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    call_command("search_index", "rebuild", stdout=io.StringIO())
    index_seconds = time.perf_counter() - t0

    rng = random.Random(7)
    profiles = list(SiteProfile.objects.select_related("site", "site__root_page").order_by("pk"))
    pages = {"home": [], "column": [], "article": []}
    for profile in profiles:
        host, root = profile.site.hostname, profile.site.root_page
        strip = len(root.url_path) - 1
        pages["home"].append([host, "/"])
        pages["column"] += [[host, f"/{slug}/"] for slug in COLUMN_SLUGS]
        paths = list(ArticlePage.objects.live().descendant_of(root).values_list("url_path", flat=True))
        pages["article"] += [[host, p[strip:]] for p in rng.sample(paths, min(len(paths), args.article_pool))]

    county = profiles[1]
    channel = InteractionChannelPage(title=f"{county.name}县长信箱", slug="xzxx", live=False)
    column(county, "hdjl").add_child(instance=channel)
    channel.save_revision().publish()
    channel.refresh_from_db()
    set_limits(32767, 32767, 32767)  # as bench_interaction: one client sends far beyond a person's quota
    form = {"host": county.site.hostname, "path": channel.get_url_parts()[2] + "write/",
            "category": channel.category_list[0]}

    editors = []
    for n in range(args.concurrency):
        profile = profiles[1 + n % (len(profiles) - 1)] if len(profiles) > 1 else profiles[0]
        user = make_user(f"soak_editor{n}", profile, "editor")
        articles = [
            # published by the build (an editor cannot publish), edited by the editor
            make_article(column(profile, "ywdt"), f"{profile.name}浸泡测试稿件{n}-{k}",
                         body=PHRASES[(n + k) % len(PHRASES)])
            for k in range(EDITOR_ARTICLES)
        ]
        editors.append({"username": user.username, "password": "pw-" + user.username,
                        "host": profile.site.hostname,
                        "articles": [{"id": a.pk, "title": a.title, "slug": a.slug} for a in articles]})

    template = {k: str(v) for k, v in nested_form_data({
        "title": "", "slug": "", "date": "2026-11-01", "source": "九江市人民政府办公室",
        "body": streamfield([("paragraph", rich_text(f"<p>{BODY_MARK}</p>"))]),
        "attachments": inline_formset([]),
    }).items()}

    # The edit form as the client will send it, checked once in-process.
    from django.contrib.auth import get_user_model

    first = editors[0]["articles"][0]
    client = Client()
    client.force_login(get_user_model().objects.get(username=editors[0]["username"]))
    html = client.get(f"/admin/pages/{first['id']}/edit/").content.decode()
    data = dict(template, title=first["title"], slug=first["slug"])
    data["body-0-value"] = data["body-0-value"].replace(BODY_MARK, "构建时的检查修改")
    for name, regex in (("loaded_revision_id", REV_ID_RE), ("loaded_revision_created_at", REV_AT_RE)):
        match = regex.search(html)
        if match:
            data[name] = match.group(1) or match.group(2) or ""
    response = client.post(f"/admin/pages/{first['id']}/edit/", data)
    assert response.status_code == 302, (response.status_code, response.content.decode()[:3000])

    print(json.dumps({
        "pages": pages, "searches": SEARCHES, "form": form, "editors": editors, "template": template,
        "sites": site_info["sites"], "articles": site_info["articles"],
        "build_seconds": time.perf_counter() - started, "index_seconds": index_seconds,
        "tables": {"message": Message._meta.db_table, "revision": Revision._meta.db_table,
                   "task": DBTaskResult._meta.db_table, "querylog": QueryLog._meta.db_table},
    }, ensure_ascii=False))


# ------------------------------------------------------------------ figures

class Figures:
    """Latencies and outcomes per request kind, for one phase."""

    def __init__(self):
        self.latency, self.outcomes, self.errors, self.samples = {}, {}, {}, {}
        self.hits = self.misses = 0
        self.codes, self.saves = [], 0

    def add(self, kind, seconds, outcome, ok, sample=""):
        self.latency.setdefault(kind, []).append(seconds)
        self.outcomes.setdefault(kind, {})
        self.outcomes[kind][outcome] = self.outcomes[kind].get(outcome, 0) + 1
        self.errors.setdefault(kind, 0)
        if not ok:
            self.errors[kind] += 1
            if len(self.samples.setdefault(kind, [])) < 3:
                flat = re.sub(r"\s+", " ", sample)
                self.samples[kind].append(f"{outcome}: {flat[:300]}")

    def requests(self):
        return sum(len(v) for v in self.latency.values())

    def error_count(self):
        return sum(self.errors.values())


# ------------------------------------------------------------------ client

class Soak:
    def __init__(self, info, port, args, db_url, server_pid):
        self.info, self.port, self.args, self.db_url, self.server_pid = info, port, args, db_url, server_pid
        weights = {k: float(v) for k, v in (part.split("=") for part in args.mix.split(","))}
        self.kinds = [k for k, v in weights.items() if v > 0]
        self.weights = [weights[k] for k in self.kinds]
        assert set(self.kinds) <= {"page", "search", "form", "admin"}, self.kinds
        self.figures = Figures()
        self.serial = 0

    # -- one action of each kind

    async def page(self, rng):
        sub = rng.choices(list(PAGE_SHARE), weights=list(PAGE_SHARE.values()))[0]
        host, path = rng.choice(self.info["pages"][sub])
        await self.get(f"page {sub}", host, path, page=True)

    async def search(self, rng):
        host = rng.choice(self.info["pages"]["home"])[0]
        query = rng.choice(self.info["searches"])
        path = f"/search/?q={quote(query)}" + ("&page=2" if rng.random() < 0.1 else "")
        await self.get("search", host, path)

    async def get(self, kind, host, path, page=False):
        figures = self.figures
        t0 = time.perf_counter()
        try:
            status, data = await asyncio.wait_for(loadgen._one("127.0.0.1", self.port, path, host), 60)
        except (TimeoutError, OSError) as exc:
            figures.add(kind, time.perf_counter() - t0, type(exc).__name__, False, f"{host}{path}")
            return
        figures.add(kind, time.perf_counter() - t0, status, status == 200, f"{host}{path}")
        if page and status == 200:
            head = data[:data.find(b"\r\n\r\n")]
            if b"X-Page-Cache: hit" in head:
                figures.hits += 1
            else:
                figures.misses += 1

    async def form(self, user):
        import httpx

        form, figures = self.info["form"], self.figures
        client, db = user["form_client"], user["db"]
        client.cookies.clear()  # a new visitor each time
        self.serial += 1
        n = self.serial
        t0 = time.perf_counter()
        try:
            page = await client.get(form["path"])
            key, token = KEY_RE.search(page.text), CSRF_RE.search(page.text)
            ok = page.status_code == 200 and key and token
            figures.add("form GET", time.perf_counter() - t0, page.status_code, bool(ok), page.text[:300])
            if not ok:
                return
            key = key.group(1)
            row = await (await db.execute("SELECT response FROM captcha_captchastore WHERE hashkey = %s",
                                          (key,))).fetchone()
            title = f"{TITLES[n % len(TITLES)]}（浸泡{user['index']}-{n}）"
            data = {
                "csrfmiddlewaretoken": token.group(1), "category": form["category"], "title": title,
                "content": CONTENT.format(title=title, n=f"soak-{n}"), "name": "张三丰",
                "phone": f"139{n % 100000000:08d}", "email": "zs@example.com", "publish_consent": "on",
                "website": "", "captcha_0": key, "captcha_1": row[0] if row else "",
            }
            t1 = time.perf_counter()
            response = await client.post(form["path"], data=data,
                                         headers={"Referer": f"http://{form['host']}{form['path']}"})
            code = CODE_RE.search(response.text) if response.status_code == 200 else None
            outcome = response.status_code if code or response.status_code != 200 else "200 without a code"
            figures.add("form POST", time.perf_counter() - t1, outcome, bool(code), response.text[:2000])
            if code:
                figures.codes.append(code.group(1))
        except httpx.HTTPError as exc:
            figures.add("form POST", time.perf_counter() - t0, type(exc).__name__, False, repr(exc))

    async def sign_in(self, user):
        import httpx

        editor = user["editor"]
        client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}", timeout=60,
                                   headers={"Host": editor["host"], "User-Agent": "sitegroup-bench"})
        t0 = time.perf_counter()
        try:
            page = await client.get("/admin/login/")
            token = CSRF_RE.search(page.text)
            response = await client.post("/admin/login/", data={
                "csrfmiddlewaretoken": token.group(1) if token else "", "username": editor["username"],
                "password": editor["password"], "next": "/admin/",
            })
        except httpx.HTTPError as exc:
            self.figures.add("admin sign-in", time.perf_counter() - t0, type(exc).__name__, False, repr(exc))
            await client.aclose()
            return None
        location = response.headers.get("location", "")
        ok = response.status_code == 302 and location.rstrip("/").endswith("/admin")
        self.figures.add("admin sign-in", time.perf_counter() - t0, response.status_code, ok,
                         f"-> {location} {response.text[:300]}")
        if not ok:
            await client.aclose()
            return None
        return client

    async def admin(self, user, rng):
        import httpx

        figures = self.figures
        if user.get("admin_client") is None:
            user["admin_client"] = await self.sign_in(user)
            if user["admin_client"] is None:
                return
        client = user["admin_client"]
        article = rng.choice(user["editor"]["articles"])
        url = f"/admin/pages/{article['id']}/edit/"
        user["edits"] = user.get("edits", 0) + 1
        t0 = time.perf_counter()
        try:
            page = await client.get(url)
            token = CSRF_RE.search(page.text)
            ok = page.status_code == 200 and token is not None
            figures.add("admin GET edit", time.perf_counter() - t0, page.status_code, ok,
                        f"-> {page.headers.get('location', '')} {page.text[:300]}")
            if not ok:
                return
            data = dict(self.info["template"], title=article["title"], slug=article["slug"],
                        csrfmiddlewaretoken=token.group(1))
            text = f"第{user['edits']}次修改：{PHRASES[user['edits'] % len(PHRASES)]}。"
            data["body-0-value"] = data["body-0-value"].replace(BODY_MARK, text)
            for name, regex in (("loaded_revision_id", REV_ID_RE), ("loaded_revision_created_at", REV_AT_RE)):
                match = regex.search(page.text)
                if match:
                    data[name] = match.group(1) or match.group(2) or ""
            t1 = time.perf_counter()
            response = await client.post(url, data=data)
            location = response.headers.get("location", "")
            ok = response.status_code == 302 and location.endswith(url)
            errors = " | ".join(m.strip() for m in ERROR_RE.findall(response.text)[:3])
            figures.add("admin POST save", time.perf_counter() - t1, response.status_code, ok,
                        f"-> {location} {errors or response.text[:300]}")
            if ok:
                figures.saves += 1
        except httpx.HTTPError as exc:
            figures.add("admin POST save", time.perf_counter() - t0, type(exc).__name__, False, repr(exc))

    # -- the run

    async def user_loop(self, index, deadline):
        import httpx
        import psycopg

        rng = random.Random(1000 + index)
        user = {
            "index": index, "editor": self.info["editors"][index % len(self.info["editors"])],
            # each user sends its submissions from its own loopback address, as people would
            "form_client": httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{self.port}", timeout=60,
                transport=httpx.AsyncHTTPTransport(local_address=f"127.0.0.{10 + index}"),
                headers={"Host": self.info["form"]["host"], "User-Agent": "sitegroup-bench"}),
            "db": await psycopg.AsyncConnection.connect(self.db_url, autocommit=True),
        }
        try:
            while time.monotonic() < deadline[0]:
                kind = rng.choices(self.kinds, weights=self.weights)[0]
                figures, t0 = self.figures, time.perf_counter()
                try:
                    if kind == "page":
                        await self.page(rng)
                    elif kind == "search":
                        await self.search(rng)
                    elif kind == "form":
                        await self.form(user)
                    else:
                        await self.admin(user, rng)
                except Exception as exc:  # noqa: BLE001 - a failed action is an error in the figures, not the end
                    figures.add(f"{kind} (client)", time.perf_counter() - t0, type(exc).__name__, False, repr(exc))
        finally:
            await user["form_client"].aclose()
            if user.get("admin_client") is not None:
                await user["admin_client"].aclose()
            await user["db"].close()

    async def run(self):
        args = self.args
        start = time.monotonic()
        deadline = [start + args.warmup + args.duration + 3600]  # moved once warm-up ends
        users = [asyncio.create_task(self.user_loop(i, deadline)) for i in range(args.concurrency)]
        warm = self.figures
        # Warm-up: at least --warmup seconds, and until every kind of action has
        # succeeded a few times per worker (first requests import and compile a
        # great deal: measured from there, RSS would mostly show start-up).
        need = 2 * args.workers
        tracked = [names for kind, names in WARM_KINDS.items() if kind in self.kinds]
        cap = args.warmup + WARMUP_EXTRA
        while True:
            await asyncio.sleep(1)
            waited = time.monotonic() - start
            done = all(len(warm.latency.get(k, [])) - warm.errors.get(k, 0) >= need
                       for names in tracked for k in names)
            if waited >= args.warmup and done:
                break
            if waited >= cap:
                print(f"  warning: warm-up stopped at {waited:.0f}s before every kind succeeded {need} times",
                      flush=True)
                break
        self.warmup_seconds = time.monotonic() - start
        # Main phase: fresh figures, the workers' memory after warm-up, the clocks.
        self.figures = Figures()
        self.started = time.monotonic()
        deadline[0] = self.started + args.duration
        self.rss_start = worker_rss(self.server_pid)
        self.timeline = [(0.0, sum(self.rss_start.values()))]
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        server0, machine0 = tree_cpu_seconds(self.server_pid), machine_cpu_seconds()
        step = max(5.0, args.duration / 10)
        next_sample = self.started + step
        while time.monotonic() < deadline[0]:
            await asyncio.sleep(min(1.0, max(0.0, deadline[0] - time.monotonic())))
            now = time.monotonic()
            if now >= next_sample and now < deadline[0]:
                next_sample += step
                rss = worker_rss(self.server_pid)
                self.timeline.append((now - self.started, sum(rss.values())))
                f = self.figures
                print(f"  {now - self.started:5.0f}s  {f.requests():>7} requests, {f.error_count()} errors, "
                      f"{f.requests() / (now - self.started):6.1f} req/s, workers' RSS "
                      f"{sum(rss.values()) / 1024:.1f} MiB", flush=True)
        self.elapsed = time.monotonic() - self.started
        self.rss_end = worker_rss(self.server_pid)
        self.timeline.append((self.elapsed, sum(self.rss_end.values())))
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        self.cpu = {"server_cpu": tree_cpu_seconds(self.server_pid) - server0,
                    "machine_cpu": machine_cpu_seconds() - machine0,
                    "client_cpu": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime),
                    "elapsed": self.elapsed}
        await asyncio.gather(*users)  # requests in flight at the deadline finish into the figures
        self.warm = warm


def worker_rss(master_pid):
    """VmRSS in KiB of each child of the gunicorn master."""
    rss = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != master_pid:
                continue
            status = Path(f"/proc/{entry}/status").read_text()
        except (OSError, ValueError, IndexError):
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if match:
            rss[int(entry)] = int(match.group(1))
    return rss


# ------------------------------------------------------------ orchestrate

def pg_execute(sql, db=None):
    import psycopg

    url = PG_ADMIN_URL if db is None else PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{db}"
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchone() if cursor.description else None


def pg_rows(sql, params):
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}", connect_timeout=5) as conn:
        return conn.execute(sql, params).fetchall()


def count_rows(tables):
    return {name: pg_execute(f"SELECT count(*) FROM {table}", PG_DB)[0] for name, table in tables.items()}


def drop_redis_keys(prefix):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start:start + 500])
    return len(keys)


def soak(args):
    workdir = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    (workdir / "var" / "static").mkdir(parents=True)  # WhiteNoise warns about a missing STATIC_ROOT
    prefix = f"bench-soak-{os.getpid()}"
    db_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="tests.benchmarks.settings", DATABASE_URL=db_url,
               SITEGROUP_VAR_DIR=str(workdir / "var"), CACHE_KEY_PREFIX=prefix)
    # The build uses the file cache: bench_site.build calls cache.clear(), which on
    # Redis would empty the whole Redis database, other runs' keys included.
    env.pop("REDIS_URL", None)
    env.pop("TASKS_BACKEND", None)  # the database backend, as in production
    server_env = dict(env, REDIS_URL=REDIS_URL)
    procs = []
    try:
        pg_execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        pg_execute(f"CREATE DATABASE {PG_DB}")
        print(f"building {args.sites} sites, {args.articles:,} articles on PostgreSQL ...", flush=True)
        out = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.bench_soak", "--build", "--sites", str(args.sites),
             "--articles", str(args.articles), "--article-pool", str(args.article_pool),
             "--concurrency", str(args.concurrency)],
            cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout
        info = json.loads(out.strip().splitlines()[-1])
        print(f"built in {info['build_seconds']:.0f}s (search index {info['index_seconds']:.0f}s); "
              f"{sum(len(v) for v in info['pages'].values())} page URLs", flush=True)

        worker_log = open(workdir / "db_worker.log", "ab")  # noqa: SIM115 - closed below
        worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-startup-delay", "-v0"],
                                  cwd=ROOT, env=server_env, stdout=worker_log, stderr=subprocess.STDOUT)
        procs.append(("db_worker", worker, worker_log))
        port = free_port()
        server = start_gunicorn(server_env, port, args.workers, workdir / "gunicorn.log")
        procs.append(("gunicorn", server, None))
        before = count_rows(info["tables"])
        since = pg_execute("SELECT now()", PG_DB)[0]
        pids_start = set(worker_rss(server.pid))

        print(f"soak: {args.concurrency} virtual users, {args.warmup:.0f}s warm-up then {args.duration:.0f}s, "
              f"mix {args.mix}, gunicorn {args.workers} sync workers", flush=True)
        run = Soak(info, port, args, db_url, server.pid)
        asyncio.run(run.run())
        alive = server.poll() is None
        pids_end = set(worker_rss(server.pid))
        time.sleep(2)  # let the task worker pick up anything queued at the end
        after = count_rows(info["tables"])
        after["tasks"] = pg_rows(f"SELECT task_path, status, count(*) FROM {info['tables']['task']} "
                                 "WHERE enqueued_at >= %s GROUP BY 1, 2 ORDER BY 1, 2", (since,))
        after["pending"] = pg_execute(f"SELECT count(*) FROM {info['tables']['task']} "
                                      "WHERE status IN ('READY', 'RUNNING')", PG_DB)[0]
        log_tail = (workdir / "gunicorn.log").read_text(errors="replace")[-3000:]
        return report(args, info, run, before, after, alive, pids_start, pids_end, log_tail)
    finally:
        for _, proc, log in reversed(procs):
            if log is None:
                stop(proc)
            else:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                log.close()
        try:
            pg_execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        except Exception as exc:  # noqa: BLE001 - cleanup must not hide the figures
            print("warning: could not drop the bench database:", exc)
        try:
            drop_redis_keys(prefix)
        except Exception as exc:  # noqa: BLE001
            print("warning: could not remove the bench's Redis keys:", exc)
        shutil.rmtree(workdir, ignore_errors=True)


# ------------------------------------------------------------------ report

GROUPS = [
    ("page", ["page home", "page column", "page article"]),
    ("search", ["search"]),
    ("form (写信)", ["form GET", "form POST"]),
    ("admin edit", ["admin sign-in", "admin GET edit", "admin POST save"]),
]


def report(args, info, run, before, after, alive, pids_start, pids_end, log_tail):
    f, elapsed, failures = run.figures, run.elapsed, []
    cores = os.cpu_count()
    print(f"\n[soak] {info['sites']} sites, {info['articles']:,} articles, PostgreSQL + Redis + db_worker; "
          f"gunicorn {args.workers} sync workers; {args.concurrency} virtual users (closed loop, no think time); "
          f"{elapsed:.0f}s after a {run.warmup_seconds:.0f}s warm-up; {cores} CPU cores shared by server, "
          "client and anything else running")
    print(f"{'kind':22} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")

    def row(label, kinds, indent=""):
        lat = [x for k in kinds for x in f.latency.get(k, [])]
        errors = sum(f.errors.get(k, 0) for k in kinds)
        print(f"{indent + label:22} {len(lat):>9} {errors:>7} {len(lat) / elapsed:>7.1f} {pct(lat, .50):>8.1f} "
              f"{pct(lat, .95):>8.1f} {pct(lat, .99):>8.1f}")

    for label, kinds in GROUPS:
        if not any(k in f.latency for k in kinds):
            continue
        row(label, kinds)
        if len(kinds) > 1:
            for k in kinds:
                if k in f.latency:
                    row(k, [k], "  ")
    known = [k for _, kinds in GROUPS for k in kinds]
    for kind in sorted(set(f.latency) - set(known)):  # actions that failed in the client itself
        row(kind, [kind])
    row("all", list(f.latency))
    total, errors = f.requests(), f.error_count()
    seen = f.hits + f.misses
    print(f"throughput: {total / elapsed:.1f} requests/s ({total} in {elapsed:.0f}s); errors: {errors}; "
          f"page cache hits {f.hits / seen if seen else 0:.0%} of pages; "
          f"{len(f.codes)} submissions accepted, {f.saves} drafts saved")
    print(f"CPU during the run: {cpu_split(run.cpu, cores)}")
    if errors:
        failures.append(f"{errors} errors")
        for kind, samples in f.samples.items():
            outcomes = {k: v for k, v in f.outcomes[kind].items()}
            print(f"  {kind}: outcomes {outcomes}")
            for sample in samples:
                print(f"    e.g. {sample}")
    warm = run.warm
    print(f"warm-up: {warm.requests()} requests, {warm.error_count()} errors"
          + (f" {dict((k, v) for k, v in warm.errors.items() if v)}" if warm.error_count() else ""))
    if warm.error_count():
        failures.append(f"{warm.error_count()} errors during the warm-up")
        for kind, samples in warm.samples.items():
            for sample in samples:
                print(f"    {kind} e.g. {sample}")

    # Memory
    start, end = run.rss_start, run.rss_end
    print("\ngunicorn workers' RSS (VmRSS), after warm-up -> end:")
    for pid in sorted(set(start) | set(end)):
        a, b = start.get(pid), end.get(pid)
        change = f"{(b - a) / a:+.1%}" if a and b else "(worker replaced)"
        print(f"  pid {pid:>7}: {a / 1024 if a else 0:7.1f} MiB -> {b / 1024 if b else 0:7.1f} MiB  {change}")
    total0, total1 = sum(start.values()), sum(end.values())
    growth = (total1 - total0) / total0 if total0 else 0.0
    print(f"  all workers: {total0 / 1024:.1f} MiB -> {total1 / 1024:.1f} MiB  {growth:+.1%} "
          f"(limit +{MEMORY_LIMIT:.0%})")
    print("  timeline: " + ", ".join(f"{t:.0f}s {kb / 1024:.1f}" for t, kb in run.timeline) + " (MiB)")
    if growth > MEMORY_LIMIT:
        failures.append(f"workers' RSS grew {growth:+.1%}")
    if not alive or pids_start != pids_end or set(start) != set(end):
        failures.append(f"gunicorn workers changed during the run: {sorted(pids_start)} -> {sorted(pids_end)}"
                        + ("" if alive else " (the master exited)"))

    # What the server stored
    delta = {k: after[k] - before[k] for k in before}
    stored = delta["message"]
    codes = len(run.warm.codes) + len(f.codes)
    saves = run.warm.saves + f.saves
    print(f"\nstored: {stored} messages for {codes} query codes returned; {delta['revision']} revisions for "
          f"{saves} drafts saved; {delta['querylog']} search log rows")
    tasks = ", ".join(f"{path.rsplit('.', 1)[-1]} {status} {n}" for path, status, n in after["tasks"]) or "none"
    print(f"database task backend: tasks enqueued during the soak: {tasks}; "
          f"{after['pending']} waiting or running at the end (of {after['task']} in the table)")
    if stored != codes:
        failures.append(f"{codes} submissions answered with a code, {stored} messages stored")
    if delta["revision"] < saves:
        failures.append(f"{saves} drafts saved, {delta['revision']} revisions written")
    if failures and log_tail.strip():
        print("server log (tail):\n" + log_tail)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    print("\nOK: no errors, workers' memory flat within 10%")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--small", action="store_true", help="60 s and smaller data")
    parser.add_argument("--duration", type=float, default=None,
                        help="seconds measured after the warm-up (default 600, 60 with --small)")
    parser.add_argument("--warmup", type=float, default=None, help="seconds of the same mix before measuring")
    parser.add_argument("--sites", type=int, default=30)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--article-pool", type=int, default=200, help="article URLs visited per site")
    parser.add_argument("--concurrency", type=int, default=6, help="virtual users")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--mix", default="page=75,search=15,form=4,admin=6", help="weights per action")
    args = parser.parse_args(argv)
    if args.small:
        args.sites, args.articles, args.article_pool = 5, 2_000, 40
    if args.duration is None:
        args.duration = 60.0 if args.small else 600.0
    if args.warmup is None:
        args.warmup = 10.0 if args.small else 30.0
    if args.build:
        build(args)
        return 0
    try:
        pg_execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001
        print(f"[soak] needs PostgreSQL at {PG_ADMIN_URL}: {exc}")
        return 1
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        print(f"[soak] needs Redis at {REDIS_URL}: {exc}")
        return 1
    return soak(args)


if __name__ == "__main__":
    sys.exit(main())
