"""Public page throughput: portal home, a column and an article, served by gunicorn.

For each database (SQLite, PostgreSQL) it builds 30 sites with 50,000 articles,
then measures requests/s and median/p95 latency for each page cold (page cache
off) and cached, beside the same HTML served as a static file by the same
server (WhiteNoise inside the same gunicorn: the ceiling). It also prints the
SQL query count of each page.

    python -m tests.benchmarks.bench_site [--small] [--databases sqlite,postgres]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks import loadgen

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "bench_sitegroup"
HOST_HEADER = "jiujiang.localhost"

PHRASES = [
    "九江市人民政府召开常务会议", "研究部署政府网站集约化建设", "推进政务公开标准化规范化",
    "落实网站备案和值班读网制度", "加强上网信息保密审查", "优化营商环境", "推动长江经济带高质量发展",
    "做好防汛抗旱工作", "提升一网通办服务能力", "社会保险待遇按时足额发放", "电子政务外网建设",
    "依申请公开办理情况", "乡村振兴重点项目推进", "生态环境保护督察整改", "庐山西海旅游发展",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_available():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


# ---------------------------------------------------------------- build (child)

def build(sites: int, articles: int):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.benchmarks.bulkpages import add_articles
    from tests.factories import column, make_site

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    profiles = [make_site("portal", port=80)]
    for i in range(1, sites):
        kind = "county" if i % 2 else "department"
        profiles.append(make_site(kind, name=f"测试站点{i}", code=f"site{i}", hostname=f"site{i}.localhost"))
    columns = [column(p, slug) for p in profiles for slug in ("ywdt", "tzgg", "zcwj", "xxgk", "hdjl", "ztzl")]
    per_column = max(1, articles // len(columns))
    total = 0
    for ci, col in enumerate(columns):
        batch = []
        for n in range(per_column):
            k = ci * per_column + n
            title = f"{PHRASES[k % len(PHRASES)]}（第{k}号）"
            body = "\n".join(PHRASES[(k + j) % len(PHRASES)] + "。" * 3 for j in range(6))
            batch.append({"title": title, "body": body, "source": "九江市人民政府办公室"})
        total += add_articles(col, batch)
    build_seconds = time.perf_counter() - started

    news = columns[0]
    from wagtail.models import Page

    article = Page.objects.child_of(news).order_by("path").last()
    paths = {"home": "/", "column": "/ywdt/", "article": f"/ywdt/{article.slug}/"}
    client = Client()
    queries = {}
    from django.core.cache import cache

    for name, path in paths.items():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, HTTP_HOST=HOST_HEADER)
        assert response.status_code == 200, (path, response.status_code)
        queries[name] = len(ctx.captured_queries)
    cache.clear()
    print(json.dumps({"paths": paths, "queries": queries, "articles": total,
                      "sites": len(profiles), "build_seconds": build_seconds}))


# ------------------------------------------------------------ orchestrate

def start_gunicorn(env, port, workers):
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "sitegroup.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "--log-level", "warning", "--backlog", "2048"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return loadgen.wait_for_port(port, proc, "gunicorn")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def prepare_database(kind, workdir):
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"


def bench_database(kind, args):
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-site-{kind}-"))
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.benchmarks.settings",
        DATABASE_URL=prepare_database(kind, workdir),
        SITEGROUP_VAR_DIR=str(workdir / "var"),
        CACHE_KEY_PREFIX=f"bench-{os.getpid()}-{kind}",
    )
    cache_kind = "filesystem"
    if redis_available() and args.cache == "redis":
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
        cache_kind = "redis"
    try:
        out = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.bench_site", "--build",
             "--sites", str(args.sites), "--articles", str(args.articles)],
            cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout
        info = json.loads(out.strip().splitlines()[-1])
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)
        results = {"info": info, "cache": cache_kind, "rows": []}

        # Static copies: the same bytes the app renders, served by WhiteNoise in the same server.
        port = free_port()
        proc = start_gunicorn(dict(env, PAGE_CACHE_SECONDS="0"), port, args.workers)
        static_dir = workdir / "var" / "static" / "bench"
        static_dir.mkdir(parents=True, exist_ok=True)
        try:
            for name, path in info["paths"].items():
                status, _, body = loadgen.fetch("127.0.0.1", port, path, HOST_HEADER)
                assert status == 200, (name, status)
                (static_dir / f"{name}.html").write_bytes(body)
            cold = {
                name: loadgen.measure("127.0.0.1", port, path, HOST_HEADER, concurrency=args.concurrency,
                                      duration=args.duration)
                for name, path in info["paths"].items()
            }
        finally:
            stop(proc)

        port = free_port()
        proc = start_gunicorn(env, port, args.workers)
        try:
            cached, static = {}, {}
            for name, path in info["paths"].items():
                loadgen.fetch("127.0.0.1", port, path, HOST_HEADER)  # warm
                status, head, _ = loadgen.fetch("127.0.0.1", port, path, HOST_HEADER)
                assert "X-Page-Cache: hit" in head, head
                cached[name] = loadgen.measure("127.0.0.1", port, path, HOST_HEADER,
                                               concurrency=args.concurrency, duration=args.duration)
                static[name] = loadgen.measure("127.0.0.1", port, f"/static/bench/{name}.html", HOST_HEADER,
                                               concurrency=args.concurrency, duration=args.duration)
        finally:
            stop(proc)
        for name in info["paths"]:
            results["rows"].append((name, info["queries"][name], cold[name], cached[name], static[name]))
        return results
    finally:
        if kind == "postgres":
            try:
                import psycopg

                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            except Exception as exc:  # noqa: BLE001 - cleanup must not hide the figures
                print("warning: could not drop bench database:", exc)
        shutil.rmtree(workdir, ignore_errors=True)


def report(kind, results):
    info = results["info"]
    print(f"\n[{kind}] {info['sites']} sites, {info['articles']} articles "
          f"(built in {info['build_seconds']:.0f}s); cache backend: {results['cache']}")
    print(f"{'page':8} {'SQL':>4} | {'cold rps':>9} {'p50':>7} {'p95':>7} | {'cached rps':>10} {'p50':>7} "
          f"{'p95':>7} | {'static rps':>10} | cached/static")
    for name, queries, cold, cached, static in results["rows"]:
        ratio = cached["rps"] / static["rps"] if static["rps"] else 0
        print(f"{name:8} {queries:>4} | {cold['rps']:>9.0f} {cold['p50_ms']:>6.1f}ms {cold['p95_ms']:>6.1f}ms | "
              f"{cached['rps']:>10.0f} {cached['p50_ms']:>6.1f}ms {cached['p95_ms']:>6.1f}ms | "
              f"{static['rps']:>10.0f} | {ratio:>6.0%}")
        bad = {k: v for r in (cold, cached, static) for k, v in r["statuses"].items() if k != 200}
        if bad:
            print(f"         non-200 responses: {bad}")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--sites", type=int, default=30)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", choices=["redis", "file"], default="redis")
    args = parser.parse_args(argv)
    if args.small:
        args.sites, args.articles, args.duration = 5, 2_000, 2.0
    if args.build:
        build(args.sites, args.articles)
        return 0
    for kind in [d.strip() for d in args.databases.split(",") if d.strip()]:
        if kind == "postgres":
            try:
                import psycopg

                psycopg.connect(PG_ADMIN_URL, connect_timeout=2).close()
            except Exception as exc:  # noqa: BLE001
                print(f"\n[postgres] skipped: no server at {PG_ADMIN_URL} ({exc})")
                continue
        report(kind, bench_database(kind, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
