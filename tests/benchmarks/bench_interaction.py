"""政民互动 at scale: the public message form against a real server, and the
group office's inbox, statistics and Excel export over 100,000 messages.

1. Submissions. Complete submissions with the image challenge verified, as a
   browser makes them: GET the form (which stores a new challenge and sets the
   CSRF cookie), read the challenge's answer from the database (as the tests
   do), POST the form; every title differs so duplicate detection lets it
   through. gunicorn serves, several client processes drive the closed loop.
   The per-address limits are raised for this run and each client process
   sends from its own loopback address (127.0.0.x). Then, with the default
   limits restored, a flood of POSTs from one address, which the
   application answers 429 before validating anything.
   The project's load generator (loadgen.py) only sends GETs, and a submission
   is a GET followed by a dependent POST, so this uses its own multi-process
   httpx driver; it reports the client's CPU so a reader can tell whether the
   client or the server was the limit.
2. The office dashboard. 30 sites and 100,000 messages bulk-created with a
   realistic mix (pending, accepted, answered, invalid; overdue; unanswered
   beyond the veto limit; transferred; rated). Times the inbox, the overdue
   filter, the statistics page and its .xlsx export as the group office user,
   with their SQL query counts at 1/10 of the data and at full size. Exits
   non-zero if a page's query count grows with the data, or if the inbox makes
   more queries for a full page than for a single row.

    python -m tests.benchmarks.bench_interaction [--small]
"""

import argparse
import datetime
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLK_TCK = os.sysconf("SC_CLK_TCK")

TITLES = ["小区门口路灯损坏", "学校周边交通拥堵", "老旧小区加装电梯", "社保卡补办咨询", "河道垃圾清理",
          "农村公路破损", "噪音扰民投诉", "医保报销流程咨询", "公交线路调整建议", "菜市场占道经营"]
CONTENT = "反映人所在片区{title}的问题已经持续一段时间，影响群众正常生活，希望有关部门尽快核实处理。（编号{n}）"


# ---------------------------------------------------------------- helpers

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, port, workers, log_path):
    # As bench_site.start_gunicorn, but stderr goes to a file: a run of failed
    # submissions must not fill a pipe nobody reads and stall the workers.
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "sitegroup.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "--log-level", "warning", "--backlog", "2048"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )
    proc._bench_log = log
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start: " + Path(log_path).read_text(errors="replace")[-2000:])


def stop(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc._bench_log.close()


def tree_cpu_seconds(pid):
    """user+system CPU of a process and its live children (gunicorn master + workers)."""
    pids, total = [pid], 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                pids.append(int(entry))
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


def machine_cpu_seconds():
    """CPU-seconds the whole machine has been busy (all cores, from /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLK_TCK


def pct(values, q):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(len(values) * q)) - 1))] * 1000


def add_weekdays(day, n):
    """Working days approximated as weekdays: enough for bench data, and no
    calendar lookup per row (the real clock reads the group calendar)."""
    while n > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def weekdays_between(start, end):
    days, n = (end - start).days, 0
    for d in range(1, days + 1):
        if (start + datetime.timedelta(days=d)).weekday() < 5:
            n += 1
    return n


# ------------------------------------------------------- client processes

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_RE = re.compile(r'name="captcha_0" value="([0-9a-f]+)"')
CODE_RE = re.compile(r'id="query-code">([0-9A-Z]{12})<')


def _wait_until(moment):
    delay = moment - time.time()
    if delay > 0:
        time.sleep(delay)


def submit_worker(job):
    """One closed-loop client: GET the form, solve the challenge, POST. Returns its figures."""
    import sqlite3

    import httpx

    transport = httpx.HTTPTransport(local_address=job["local_address"])
    client = httpx.Client(base_url=f"http://127.0.0.1:{job['port']}", transport=transport,
                          headers={"Host": job["host"], "User-Agent": "sitegroup-bench"}, timeout=60)
    db = sqlite3.connect(job["db_path"], timeout=30, isolation_level=None)
    path = job["path"]
    statuses, total, gets, posts, codes, sample = {}, [], [], [], [], ""
    _wait_until(job["start"])
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    n = 0
    while time.time() < job["deadline"] and n < job["max"]:
        n += 1
        t0 = time.perf_counter()
        try:
            form = client.get(path)
            t1 = time.perf_counter()
            key = KEY_RE.search(form.text).group(1)
            token = CSRF_RE.search(form.text).group(1)
            answer = db.execute("SELECT response FROM captcha_captchastore WHERE hashkey = ?", (key,)).fetchone()[0]
            title = f"{TITLES[n % len(TITLES)]}（{job['worker']}-{n}）"
            data = {
                "csrfmiddlewaretoken": token, "category": job["category"], "title": title,
                "content": CONTENT.format(title=title, n=f"{job['worker']}-{n}"),
                "name": "张三丰", "phone": f"138{job['worker']:02d}{n % 1000000:06d}", "email": "zs@example.com",
                "publish_consent": "on", "website": "", "captcha_0": key, "captcha_1": answer,
            }
            t2 = time.perf_counter()
            response = client.post(path, data=data, headers={"Referer": f"http://{job['host']}{path}"})
            t3 = time.perf_counter()
            status = response.status_code
            if status == 200:
                match = CODE_RE.search(response.text)
                if match:
                    codes.append(match.group(1))
                else:
                    status = "200 without a code"
            if status != 200 and not sample:
                sample = f"{status}: {response.text[:600]}"
            gets.append(t1 - t0)
            posts.append(t3 - t2)
        except (httpx.HTTPError, AttributeError, TypeError) as exc:
            status, t3 = type(exc).__name__, time.perf_counter()
            if not sample:
                sample = repr(exc)[:600]
        total.append(t3 - t0)
        statuses[status] = statuses.get(status, 0) + 1
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    finished = time.time()
    client.close()
    db.close()
    return {"statuses": statuses, "total": total, "gets": gets, "posts": posts, "codes": codes, "sample": sample,
            "cpu": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime), "finished": finished}


def flood_worker(job):
    """One client of a flood from one address: the CSRF cookie once, then POST after POST."""
    import httpx

    transport = httpx.HTTPTransport(local_address=job["local_address"])
    client = httpx.Client(base_url=f"http://127.0.0.1:{job['port']}", transport=transport,
                          headers={"Host": job["host"], "User-Agent": "sitegroup-bench"}, timeout=60)
    path = job["path"]
    form = client.get(path)
    token = CSRF_RE.search(form.text).group(1)
    key = KEY_RE.search(form.text).group(1)
    data = {"csrfmiddlewaretoken": token, "category": job["category"], "title": "刷屏留言刷屏留言",
            "content": "同一地址反复提交的留言内容，用于测试频率限制。", "name": "李四", "phone": "13900000000",
            "website": "", "captcha_0": key, "captcha_1": "XXXX"}
    statuses, latencies = {}, []
    _wait_until(job["start"])
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    n = 0
    while time.time() < job["deadline"] and n < job["max"]:
        n += 1
        t0 = time.perf_counter()
        try:
            status = client.post(path, data=data, headers={"Referer": f"http://{job['host']}{path}"}).status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        latencies.append(time.perf_counter() - t0)
        statuses[status] = statuses.get(status, 0) + 1
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    finished = time.time()
    client.close()
    return {"statuses": statuses, "total": latencies, "finished": finished,
            "cpu": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)}


def drive(worker, jobs, server_pid):
    """Run ``jobs`` in parallel processes from a common start; merge their figures."""
    start = time.time() + 3.0  # time for the spawned processes to import httpx
    for job in jobs:
        job["start"], job["deadline"] = start, start + job.pop("duration")
    with ProcessPoolExecutor(len(jobs), mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(worker, job) for job in jobs]
        _wait_until(start)
        server0, machine0 = tree_cpu_seconds(server_pid), machine_cpu_seconds()
        results = [f.result() for f in futures]
        server1, machine1 = tree_cpu_seconds(server_pid), machine_cpu_seconds()
    elapsed = max(r["finished"] for r in results) - start
    merged = {"statuses": {}, "total": [], "gets": [], "posts": [], "codes": [], "samples": [],
              "client_cpu": sum(r["cpu"] for r in results), "server_cpu": server1 - server0,
              "machine_cpu": machine1 - machine0, "elapsed": elapsed}
    for r in results:
        for k, v in r["statuses"].items():
            merged["statuses"][k] = merged["statuses"].get(k, 0) + v
        for k in ("total", "gets", "posts", "codes"):
            merged[k] += r.get(k, [])
        if r.get("sample"):
            merged["samples"].append(r["sample"])
    return merged


# ------------------------------------------------------------------ build

def build_sites(count):
    from sites.interaction.models import InteractionChannelPage
    from tests.factories import column, make_site

    profiles, channels = [], {}
    for i in range(count):
        if i == 0:
            profile = make_site("portal", port=80)
        else:
            profile = make_site("county", name=f"测试县{i}", code=f"xian{i}", hostname=f"xian{i}.localhost")
        channel = InteractionChannelPage(title=f"{profile.name}县长信箱", slug="xzxx", live=False)
        column(profile, "hdjl").add_child(instance=channel)
        channel.save_revision().publish()
        channel.refresh_from_db()
        profiles.append(profile)
        channels[profile.pk] = channel
    return profiles, channels


def add_messages(profiles, channels, count, first, rng, today):
    """Bulk-create ``count`` messages, serials from ``first``; a realistic mix."""
    from django.utils import timezone

    from sites.interaction.kinds import InvalidReason, Satisfaction, Status
    from sites.interaction.models import Message

    tz = timezone.get_current_timezone()
    rows = []
    for serial in range(first, first + count):
        received_on = today - datetime.timedelta(days=int(rng.triangular(0, 480, 0)))
        received_at = datetime.datetime.combine(received_on, datetime.time(8 + rng.randrange(12), rng.randrange(60)),
                                                tzinfo=tz)
        received_site = rng.choice(profiles)
        site, transfers, clock = received_site, 0, received_on
        if rng.random() < 0.06:  # 转办: another site answers, its clock from the transfer
            site = rng.choice([p for p in profiles if p.pk != received_site.pk])
            transfers = 1 if rng.random() < 0.8 else 2
            clock = min(today, received_on + datetime.timedelta(days=rng.randrange(1, 5)))
        channel = channels[site.pk]
        due = add_weekdays(clock, channel.reply_limit or 10)
        age = (today - received_on).days
        roll = rng.random()
        if age <= 20:
            status = (Status.PENDING if roll < 0.3 else Status.ACCEPTED if roll < 0.65
                      else Status.ANSWERED if roll < 0.95 else Status.INVALID)
        else:  # older: mostly done; the rest are overdue, some beyond the 90-day veto
            status = (Status.ANSWERED if roll < 0.86 else Status.INVALID if roll < 0.93
                      else Status.PENDING if roll < 0.96 else Status.ACCEPTED)
        title = f"{TITLES[serial % len(TITLES)]}（{serial}）"
        message = Message(
            code=f"B{serial:011d}", channel=channel, kind=channel.kind, site=site, received_site=received_site,
            category=channel.category_list[serial % len(channel.category_list)], title=title,
            content=CONTENT.format(title=title, n=serial), name="王五", phone=f"139{serial:08d}",
            publish_consent=serial % 3 == 0, address=f"10.{serial % 250}.{serial // 250 % 250}.{serial % 7 + 1}",
            fingerprint=f"{serial:064x}", status=status, received_at=received_at, received_on=received_on,
            clock_started_on=clock, due_on=due, transfer_count=transfers,
        )
        if status in (Status.ACCEPTED, Status.ANSWERED):
            message.accepted_at = received_at + datetime.timedelta(hours=rng.randrange(2, 48))
        if status == Status.ANSWERED:
            late = rng.random()
            spent = rng.randrange(1, 14) if late < 0.85 else rng.randrange(14, 40) if late < 0.97 else \
                rng.randrange(91, 140)
            answered_on = min(today, clock + datetime.timedelta(days=spent))
            message.answered_on = answered_on
            message.answered_at = datetime.datetime.combine(answered_on, datetime.time(16), tzinfo=tz)
            message.reply_working_days = weekdays_between(clock, answered_on)
            message.answer_days = (answered_on - received_on).days
            if rng.random() < 0.6:
                message.satisfaction = rng.choices(Satisfaction.values, weights=[60, 30, 10])[0]
                message.rated_at = message.answered_at + datetime.timedelta(days=rng.randrange(1, 10))
        elif status == Status.INVALID:
            message.invalid_reason = rng.choice(InvalidReason.values)
            message.invalid_note = "内容与本网站职责无关"
        rows.append(message)
    Message.objects.bulk_create(rows, batch_size=2000)


# ---------------------------------------------------------- the dashboard

def time_pages(client, pages, repeats):
    """name -> (median ms, queries, slowest query ms, slowest SQL, bytes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, url in pages:
        response = client.get(url)  # warm: session, user, settings
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                body = response.content
                times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (url, response.status_code)
        if "xlsx" in url:
            assert response["Content-Type"].startswith("application/vnd.openxmlformats"), response["Content-Type"]
        heaviest = max(((rerun_ms(q["sql"]), q["sql"]) for q in ctx.captured_queries), key=lambda t: t[0])
        out[name] = (statistics.median(times) * 1000, len(ctx.captured_queries), heaviest[0], heaviest[1], len(body))
    return out


def rerun_ms(sql):
    """A captured SELECT run again to its last row. The captured time is not
    enough on SQLite: execute() returns after the first row, so a grouped
    aggregate streamed row by row does most of its work after the clock stops."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return 0.0
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        cursor.execute(sql)
        cursor.fetchall()
        return (time.perf_counter() - t0) * 1000


def time_figures(repeats):
    """stats.figures() alone (the aggregate behind the statistics page and its export)."""
    from django.utils import timezone

    from sitegroup.registry.models import SiteProfile
    from sites.interaction.stats import figures

    today = timezone.localdate()
    sites = list(SiteProfile.objects.all())
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        figures(today.replace(month=1, day=1), today, sites=sites)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def dashboard_pages(first_code):
    from django.urls import reverse

    inbox, stats = reverse("interaction_inbox"), reverse("interaction_statistics")
    return [
        ("inbox (open, 50 rows)", inbox),
        ("inbox ?status=overdue", inbox + "?status=overdue"),
        ("inbox ?status=all", inbox + "?status=all"),
        ("inbox, one row (?q=code)", inbox + f"?status=all&q={first_code}"),
        ("statistics", stats),
        ("statistics ?format=xlsx", stats + "?format=xlsx"),
    ]


def dashboard_bench(args, profiles, channels, rng, today):
    from django.db.models import Count, Q
    from django.test import Client
    from django.utils import timezone

    from sitegroup.registry.roles import ensure_office_group
    from sites.interaction.kinds import OPEN_STATES
    from sites.interaction.models import Message
    from tests.factories import make_user

    office = make_user("bench-office", groups=[ensure_office_group()])
    client = Client()
    client.force_login(office)
    tenth = args.messages // 10
    stages = []
    built = 0
    for target in (tenth, args.messages):
        t0 = time.perf_counter()
        add_messages(profiles, channels, target - built, built + 1, rng, today)
        build_s = time.perf_counter() - t0
        built = target
        pages = time_pages(client, dashboard_pages("B00000000001"), args.repeats)
        stages.append((target, build_s, pages, time_figures(args.repeats)))

    veto_line = today - datetime.timedelta(days=90)
    mix = Message.objects.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATES, due_on__lt=timezone.localdate())),
        stale=Count("pk", filter=Q(status__in=OPEN_STATES, received_on__lt=veto_line)),
        answered=Count("pk", filter=Q(status="answered")),
        rated=Count("pk", filter=~Q(satisfaction="")),
        invalid=Count("pk", filter=Q(status="invalid")),
        transferred=Count("pk", filter=Q(transfer_count__gt=0)),
    )
    return stages, mix


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


def report_dashboard(args, stages, mix, build_sites_s):
    failures = []
    small, full = stages
    print(f"\n[office dashboard] {args.sites} sites (built in {build_sites_s:.0f}s), {full[0]:,} messages "
          f"(bulk-created in {small[1] + full[1]:.1f}s): {mix['open']:,} open, {mix['overdue']:,} overdue, "
          f"{mix['stale']:,} open > 90 days, {mix['answered']:,} answered ({mix['rated']:,} rated), "
          f"{mix['invalid']:,} invalid, {mix['transferred']:,} transferred")
    print("as the group office user (Django test client, SQLite, median of "
          f"{args.repeats}; SQL = queries per request; heaviest = its costliest query, run again to the last row)")
    print(f"{'page':28} | {small[0]:>7,} msgs: {'ms':>7} {'SQL':>4} | {full[0]:>7,} msgs: {'ms':>7} {'SQL':>4} "
          f"{'heaviest':>8} | {'bytes':>8}")
    for name in small[2]:
        s, f = small[2][name], full[2][name]
        flag = "" if f[1] <= s[1] else "  <-- query count grows with the data"
        print(f"{name:28} | {'':13}{s[0]:>7.1f} {s[1]:>4} | {'':13}{f[0]:>7.1f} {f[1]:>4} {f[2]:>6.1f}ms | "
              f"{f[4]:>8,}{flag}")
        if f[1] > s[1]:
            failures.append(f"{name}: {s[1]} queries at {small[0]:,} messages, {f[1]} at {full[0]:,}")
    one, page = full[2]["inbox, one row (?q=code)"][1], full[2]["inbox ?status=all"][1]
    if page != one:
        failures.append(f"inbox: {one} queries for one row but {page} for a page of 50 (a query per row)")
    print(f"stats.figures() alone (this year, all sites): {small[3]:.0f} ms at {small[0]:,} messages, "
          f"{full[3]:.0f} ms at {full[0]:,}")
    print("heaviest query per page at full size (with SQLite's plan when it took over 20 ms):")
    for name, row in full[2].items():
        sql = re.sub(r"\s+", " ", row[3])
        print(f"  {name:28} {row[2]:7.1f} ms  {sql[:160]}{'…' if len(sql) > 160 else ''}")
        if row[2] > 20:
            for step in query_plan(row[3]):
                print(f"  {'':28}             plan: {step}")
    print("query counts fixed (same at 1/10 and full size, one row = full page):",
          "yes" if not failures else "NO")
    return failures


# --------------------------------------------------------- public submission

def public_query_counts(channel, host, category):
    """SQL and in-process time per request of the form and an accepted submission
    (test client, one at a time: the server's own cost, no queueing, no HTTP)."""
    from captcha.models import CaptchaStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    path = channel.get_url_parts()[2] + "write/"
    gets, posts = [], []
    # The first submission loads the working-day calendar: not counted.
    for n in range(6):
        with CaptureQueriesContext(connection) as get_ctx:
            t0 = time.perf_counter()
            form = client.get(path, HTTP_HOST=host)
            gets.append(time.perf_counter() - t0)
        assert form.status_code == 200, form.status_code
        key = KEY_RE.search(form.content.decode()).group(1)
        data = {"category": category, "title": f"查询次数测试留言{n}", "content": CONTENT.format(title="查询次数", n=n),
                "name": "赵六", "phone": "13700000000", "website": "", "captcha_0": key,
                "captcha_1": CaptchaStore.objects.get(hashkey=key).response}
        with CaptureQueriesContext(connection) as post_ctx:
            t0 = time.perf_counter()
            response = client.post(path, data, HTTP_HOST=host, REMOTE_ADDR="10.250.0.1")
            posts.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.content.decode()[:2000]
    return {
        "GET form": len(get_ctx.captured_queries), "GET ms": statistics.median(gets[1:]) * 1000,
        "POST accepted": len(post_ctx.captured_queries), "POST ms": statistics.median(posts[1:]) * 1000,
        "POST accepted writes": sum(1 for q in post_ctx.captured_queries if _is_write(q["sql"])),
        "POST accepted sql": [q["sql"] for q in post_ctx.captured_queries],
    }


def _is_write(sql):
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))


def flood_query_count(channel, host, category):
    """SQL, writes and in-process time of a POST refused with 429."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    path = channel.get_url_parts()[2] + "write/"
    data = {"category": category, "title": "刷屏", "content": "x" * 20, "name": "李四", "phone": "13900000000",
            "captcha_0": "0" * 40, "captcha_1": "XXXX"}
    status = None
    for _ in range(200):
        status = client.post(path, data, HTTP_HOST=host, REMOTE_ADDR="10.250.0.2").status_code
        if status == 429:
            break
    assert status == 429, status
    times = []
    for _ in range(10):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            assert client.post(path, data, HTTP_HOST=host, REMOTE_ADDR="10.250.0.2").status_code == 429
            times.append(time.perf_counter() - t0)
    return len(ctx.captured_queries), sum(1 for q in ctx.captured_queries if _is_write(q["sql"])), \
        statistics.median(times) * 1000


def set_limits(hourly, daily, attempts):
    from sites.interaction.models import InteractionSettings

    rules = InteractionSettings.load()
    rules.hourly_limit, rules.daily_limit, rules.attempt_limit = hourly, daily, attempts
    rules.save()


def submission_bench(args, channel, db_path, workdir):
    from django.db import connection

    from sites.interaction.models import InteractionSettings, Message, SubmissionCounter

    host = channel.get_site().hostname
    path = channel.get_url_parts()[2] + "write/"
    category = channel.category_list[0]
    defaults = InteractionSettings()  # the model's defaults: the national values
    default_limits = (defaults.hourly_limit, defaults.daily_limit, defaults.attempt_limit)

    set_limits(32767, 32767, 32767)  # PositiveSmallIntegerField's ceiling
    counts = public_query_counts(channel, host, category)
    set_limits(*default_limits)
    counts["POST refused (429)"], counts["POST refused writes"], counts["429 ms"] = \
        flood_query_count(channel, host, category)
    set_limits(32767, 32767, 32767)
    before = Message.objects.count()
    connection.close()

    env = dict(os.environ)
    port = free_port()
    log_path = workdir / "gunicorn.log"
    proc = start_gunicorn(env, port, args.workers, log_path)

    def alive():
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}: "
                               + log_path.read_text(errors="replace")[-3000:])

    try:
        base = {"port": port, "host": host, "path": path, "db_path": str(db_path), "category": category}
        # warm the workers (imports, templates) before the clock starts
        drive(submit_worker, [dict(base, worker=90, local_address="127.0.0.90", max=3, duration=30)], proc.pid)
        subs = drive(submit_worker, [
            dict(base, worker=i, local_address=f"127.0.0.{10 + i}", max=10**9, duration=args.duration)
            for i in range(args.concurrency)
        ], proc.pid)
        alive()
        stored = Message.objects.filter(code__in=subs["codes"]).count()
        after = Message.objects.count()

        set_limits(*default_limits)
        connection.close()
        flood_address = "127.0.0.200"
        alive()
        # Use up the attempt allowance first (a bot would): the measured POSTs are all beyond it.
        warm = drive(flood_worker, [dict(base, local_address=flood_address, max=default_limits[2] + 5, duration=60)],
                     proc.pid)
        flood = drive(flood_worker, [
            dict(base, local_address=flood_address, max=10**9, duration=args.flood_duration)
            for _ in range(args.concurrency)
        ], proc.pid)
        alive()
        counters = SubmissionCounter.objects.count()
        flood_stored = Message.objects.filter(address=flood_address).count()
        connection.close()
    finally:
        stop(proc)
    log_tail = log_path.read_text(errors="replace")[-3000:]
    return {"subs": subs, "flood": flood, "warm": warm, "counts": counts, "stored": stored,
            "new_rows": after - before, "counters": counters, "flood_stored": flood_stored,
            "defaults": default_limits, "log_tail": log_tail}


def cpu_split(run, cores):
    server, client = run["server_cpu"] / run["elapsed"], run["client_cpu"] / run["elapsed"]
    other = max(0.0, run["machine_cpu"] / run["elapsed"] - server - client)
    return (f"server {server:.2f} cores, client {client:.2f} cores, other processes {other:.2f} cores "
            f"(of {cores})")


def report_submissions(args, r, cores):
    failures = []
    subs, flood, counts = r["subs"], r["flood"], r["counts"]
    ok = subs["statuses"].get(200, 0)
    print(f"\n[public submissions] gunicorn {args.workers} sync workers, {args.concurrency} client processes "
          f"(own httpx driver: loadgen.py only sends GETs, a submission is a GET and a dependent POST), "
          f"SQLite, {cores} CPU cores shared by server and client, {args.duration:.0f}s")
    print(f"server cost per request, in-process (test client, one at a time, no HTTP): GET form "
          f"{counts['GET ms']:.0f} ms / {counts['GET form']} SQL; POST accepted {counts['POST ms']:.0f} ms / "
          f"{counts['POST accepted']} SQL ({counts['POST accepted writes']} writes); POST refused 429 "
          f"{counts['429 ms']:.0f} ms / {counts['POST refused (429)']} SQL ({counts['POST refused writes']} writes)")
    settings_loads = sum(1 for q in counts["POST accepted sql"] if "interaction_interactionsettings" in q)
    counter_reads = sum(1 for q in counts["POST accepted sql"]
                        if q.lstrip().startswith("SELECT") and "interaction_submissioncounter" in q)
    print(f"  of the accepted POST's SQL: InteractionSettings read {settings_loads}x, "
          f"per-address counters read {counter_reads}x")
    rps = ok / subs["elapsed"] if subs["elapsed"] else 0.0
    print(f"complete submissions (GET form + solve challenge + POST): {ok} in {subs['elapsed']:.1f}s = "
          f"{rps:.1f}/s; each {statistics.median(subs['total']) * 1000:.0f} ms p50, {pct(subs['total'], .95):.0f} ms "
          f"p95 (GET p50 {pct(subs['gets'], .5):.0f} ms / p95 {pct(subs['gets'], .95):.0f} ms, "
          f"POST p50 {pct(subs['posts'], .5):.0f} ms / p95 {pct(subs['posts'], .95):.0f} ms)")
    print(f"  CPU during the run: {cpu_split(subs, cores)}; "
          f"{r['stored']} of {ok} returned codes stored ({r['new_rows']} new rows)")
    if set(subs["statuses"]) - {200}:
        print(f"  other outcomes: { {k: v for k, v in subs['statuses'].items() if k != 200} }")
        failures.append(f"submissions not all accepted: {subs['statuses']}")
    if ok == 0 or r["stored"] != ok:
        failures.append(f"{ok} submissions answered 200, {r['stored']} of their codes stored")
    for sample in subs["samples"][:2]:
        flat = re.sub(r"\s+", " ", sample)
        print(f"  e.g. {flat[:300]}")

    refused = flood["statuses"].get(429, 0)
    f_rps = refused / flood["elapsed"] if flood["elapsed"] else 0.0
    hourly, daily, attempts = r["defaults"]
    print(f"flood from one address, default limits ({hourly}/hour, {daily}/day, {attempts} attempts/10 min; "
          f"the first {sum(r['warm']['statuses'].values())} POSTs used up the allowance: {r['warm']['statuses']}):")
    print(f"  {refused} refused with 429 in {flood['elapsed']:.1f}s = {f_rps:.0f}/s, "
          f"p50 {pct(flood['total'], .5):.1f} ms, p95 {pct(flood['total'], .95):.1f} ms")
    print(f"  CPU: {cpu_split(flood, cores)}; {r['flood_stored']} messages stored from it, "
          f"{r['counters']} counter rows in all")
    if set(flood["statuses"]) - {429} or r["flood_stored"]:
        print(f"  other outcomes: {flood['statuses']}")
        failures.append(f"flood not refused: {flood['statuses']}, {r['flood_stored']} stored")
    if failures and r["log_tail"].strip():
        print("server log (tail):\n" + r["log_tail"])
    return failures


# --------------------------------------------------------------------- main

def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--sites", type=int, default=30)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of submissions")
    parser.add_argument("--flood-duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args(argv)
    if args.small:
        args.messages, args.repeats, args.duration, args.flood_duration = 5_000, 3, 4.0, 2.0

    workdir = Path(tempfile.mkdtemp(prefix="bench-interaction-"))
    db_path = workdir / "interaction.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["SITEGROUP_VAR_DIR"] = str(workdir / "var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.settings"
    os.environ["CACHE_KEY_PREFIX"] = f"bench-interaction-{os.getpid()}"
    os.environ.pop("REDIS_URL", None)  # the file cache: no shared state with other runs
    (workdir / "var" / "static").mkdir(parents=True)  # WhiteNoise warns about a missing STATIC_ROOT
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        rng = random.Random(11)
        today = timezone.localdate()
        t0 = time.perf_counter()
        profiles, channels = build_sites(args.sites)
        build_sites_s = time.perf_counter() - t0

        stages, mix = dashboard_bench(args, profiles, channels, rng, today)
        failures = report_dashboard(args, stages, mix, build_sites_s)

        # Against the full table: the duplicate check and code lookup see every message.
        result = submission_bench(args, channels[profiles[1].pk], db_path, workdir)
        failures += report_submissions(args, result, os.cpu_count())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
