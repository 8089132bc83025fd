"""Static publishing: nginx serving the published tree against its ceiling and
the application, publish latency, and full publish / verify throughput.

It builds a site group (bench_site's builder), then:

* runs ``publish_static`` to two local targets (pages/s) and ``verify_static``
  over both (files/s);
* with the task worker running, edits an article N times and measures the time
  until the new title is in the file on both targets (p50/p95);
* measures requests/s with Debian's ``wrk`` (a C load generator, so the client
  is not the bottleneck) for (a) the published article served by nginx with the
  generated configuration, (b) the same bytes as a plain file from a minimal
  nginx (the ceiling) and (c) the application's cached dynamic path through
  gunicorn (2 sync workers).

    python -m tests.benchmarks.bench_static [--small] [--sites 30] [--articles 50000]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks import loadgen
from tests.benchmarks.bench_site import HOST_HEADER, free_port, redis_available, start_gunicorn, stop

ROOT = Path(__file__).resolve().parents[2]
NGINX = "/usr/sbin/nginx"
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def manage(env, *args, check=True):
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True,
                          capture_output=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return proc, time.perf_counter() - started


# ------------------------------------------------------------ latency (child)

def latency(samples: int, roots: list[str]):
    import django

    django.setup()
    from wagtail.models import Page

    from sites.models import ArticlePage

    news = Page.objects.get(url_path="/jiujiang/ywdt/")
    article = ArticlePage.objects.child_of(news).order_by("path").last()
    files = [Path(root) / HOST_HEADER / article.url_path.removeprefix("/jiujiang/").rstrip("/") / "index.html"
             for root in roots]
    out = []
    for i in range(-1, samples):  # -1: a warm-up edit while the worker finishes starting, not counted
        title = f"静态发布延迟测试第{i}次"
        article.title = title
        started = time.perf_counter()
        article.save_revision().publish()  # autocommit: the commit queues the worker's task
        waiting = set(files)
        while waiting:
            if time.perf_counter() - started > 60:
                raise RuntimeError(f"not published after 60 s: {sorted(map(str, waiting))}")
            for path in list(waiting):
                try:
                    if title in path.read_text(encoding="utf-8"):
                        waiting.discard(path)
                except FileNotFoundError:
                    pass
            time.sleep(0.005)
        if i >= 0:
            out.append(time.perf_counter() - started)
        time.sleep(0.2)
    print(json.dumps({"seconds": out}))


# ------------------------------------------------------------ orchestrate

def wrk(port, path, host, duration, connections):
    proc = subprocess.run(
        [WRK, "-t2", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency", "-H", f"Host: {host}",
         f"http://127.0.0.1:{port}{path}"],
        text=True, capture_output=True, check=True,
    )
    text = proc.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", text)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)

    def ms(match):
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {"rps": rps, "p50_ms": ms(p50), "p99_ms": ms(p99), "non2xx": int(errors.group(1)) if errors else 0}


def start_nginx(conf: Path, prefix: Path, port: int):
    check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf), "-e", "stderr"],
                           text=True, capture_output=True)
    if check.returncode != 0:
        raise RuntimeError(check.stderr)
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", "stderr", "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return loadgen.wait_for_port(port, proc, "nginx", attempts=100, pause=0.05)


def plain_nginx_conf(prefix: Path, docroot: Path, port: int) -> Path:
    """The ceiling: a minimal nginx serving one file, nothing else configured."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = prefix / "plain.conf"
    conf.write_text(
        f"{user}worker_processes auto;\npid {prefix}/plain.pid;\nerror_log {prefix}/plain-error.log;\n"
        "events { worker_connections 1024; }\n"
        "http {\n include /etc/nginx/mime.types;\n access_log off;\n sendfile on;\n tcp_nopush on;\n"
        f" client_body_temp_path {prefix}/tmp-body;\n proxy_temp_path {prefix}/tmp-proxy;\n"
        f" fastcgi_temp_path {prefix}/tmp-fcgi;\n uwsgi_temp_path {prefix}/tmp-uwsgi;\n"
        f" scgi_temp_path {prefix}/tmp-scgi;\n"
        f" server {{ listen 127.0.0.1:{port}; root {docroot}; }}\n}}\n",
        encoding="utf-8",
    )
    return conf


def run(args):
    workdir = Path(tempfile.mkdtemp(prefix="bench-static-"))
    nodes = [workdir / "node1", workdir / "node2"]
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.benchmarks.settings",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        SITEGROUP_VAR_DIR=str(workdir / "var"),
        CACHE_KEY_PREFIX=f"bench-static-{os.getpid()}",
        BENCH_PUBLISH_ROOTS=os.pathsep.join(map(str, nodes)),
        STATIC_PUBLISH_ENABLED="0",
    )
    if redis_available():
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    procs = []
    try:
        out = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.bench_site", "--build",
             "--sites", str(args.sites), "--articles", str(args.articles)],
            cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout
        info = json.loads(out.strip().splitlines()[-1])
        manage(env, "collectstatic", "--noinput", "-v0")
        on = dict(env, STATIC_PUBLISH_ENABLED="1")

        proc, publish_seconds = manage(on, "publish_static")
        pages = int(re.search(r"生成 (\d+) 页", proc.stdout).group(1))
        verified = {}
        for mode in ("", "--full"):
            proc, _ = manage(on, "verify_static", *([mode] if mode else []))
            found = re.search(r"校验 (\d+) 个文件（计算摘要 (\d+) 个，([\d.]+) 秒）", proc.stdout)
            verified[mode or "quick"] = (int(found.group(1)), int(found.group(2)), float(found.group(3)))
        print(f"\n{info['sites']} sites, {info['articles']} articles")
        print(f"publish_static: {pages} pages to 2 targets in {publish_seconds:.1f}s = "
              f"{pages / publish_seconds:.1f} pages/s")
        for mode, (checked, hashed, seconds) in verified.items():
            print(f"verify_static {mode:7} {checked} files on 2 targets ({hashed} hashed) in {seconds:.2f}s = "
                  f"{checked / seconds:.0f} files/s")
        full_pages = 30 * (50_000 + 7)
        if info["articles"] < 50_000:
            rates = {mode: checked / seconds for mode, (checked, _h, seconds) in verified.items()}
            print(f"  extrapolated to 30 sites × 50,000 articles ({full_pages} pages, 2 targets): publish "
                  f"{full_pages / (pages / publish_seconds) / 3600:.1f} h, verify "
                  f"{2 * full_pages / rates['quick'] / 60:.1f} min, verify --full "
                  f"{2 * full_pages / rates['--full'] / 60:.1f} min (linear in pages; measured, not run at full size)")

        worker = subprocess.Popen(
            [sys.executable, "manage.py", "task_worker", "--no-startup-delay", "--interval", "0.1", "-v0"],
            cwd=ROOT, env=on, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        procs.append(worker)
        out = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.bench_static", "--latency", str(args.samples)],
            cwd=ROOT, env=on, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout
        seconds = sorted(json.loads(out.strip().splitlines()[-1])["seconds"])
        p95 = seconds[min(len(seconds) - 1, int(round(0.95 * len(seconds))) - 1)]
        print(f"publish → file on both targets ({len(seconds)} edits, worker polling every 0.1 s): "
              f"p50 {statistics.median(seconds) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
              f"max {seconds[-1] * 1000:.0f} ms")
        stop(worker)
        procs.remove(worker)

        if not (os.path.exists(NGINX) and os.path.exists(WRK)):
            print("nginx or wrk missing (make web-deps): request rates skipped")
            return 0
        app_port, public_port, internal_port, plain_port = (free_port() for _ in range(4))
        app = start_gunicorn(on, app_port, args.workers)
        procs.append(app)
        prefix = workdir / "nginx"
        (prefix / "tmp").mkdir(parents=True)
        conf = prefix / "nginx.conf"
        manage(on, "nginx_config", "--standalone", "--root", str(nodes[0]), "--listen", f"127.0.0.1:{public_port}",
               "--internal-listen", f"127.0.0.1:{internal_port}", "--upstream", f"127.0.0.1:{app_port}",
               "--pid", str(prefix / "nginx.pid"), "--error-log", str(prefix / "error.log"),
               "--temp-dir", str(prefix / "tmp"), "--output", str(conf))
        procs.append(start_nginx(conf, prefix, public_port))
        article = info["paths"]["article"]
        published = nodes[0] / HOST_HEADER / article.strip("/") / "index.html"
        docroot = workdir / "plain"
        docroot.mkdir()
        shutil.copyfile(published, docroot / "article.html")
        procs.append(start_nginx(plain_nginx_conf(prefix, docroot, plain_port), prefix, plain_port))

        import urllib.request

        request = urllib.request.Request(f"http://127.0.0.1:{public_port}{article}", headers={"Host": HOST_HEADER})
        with urllib.request.urlopen(request) as response:
            assert response.read() == published.read_bytes(), "nginx did not serve the published file"
        for _ in range(3):  # warm the page cache
            urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{app_port}{article}",
                                                          headers={"Host": HOST_HEADER})).read()
        rows = {
            "(a) nginx, published tree": wrk(public_port, article, HOST_HEADER, args.duration, args.connections),
            "(b) nginx, plain file": wrk(plain_port, "/article.html", HOST_HEADER, args.duration, args.connections),
            "(c) gunicorn, page cache": wrk(app_port, article, HOST_HEADER, args.duration, args.connections),
        }
        ceiling = rows["(b) nginx, plain file"]["rps"]
        print(f"\narticle page ({published.stat().st_size} bytes), wrk -t2 -c{args.connections} -d{args.duration}s, "
              "keep-alive:")
        for name, row in rows.items():
            print(f"  {name:28} {row['rps']:>9.0f} req/s  p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms  "
                  f"{row['rps'] / ceiling:>5.0%} of (b)" + (f"  non-2xx {row['non2xx']}" if row["non2xx"] else ""))
        return 0
    finally:
        for proc in reversed(procs):
            stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--sites", type=int, default=30)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.latency:
        latency(args.latency, os.environ["BENCH_PUBLISH_ROOTS"].split(os.pathsep))
        return 0
    if args.small:
        args.sites, args.articles, args.samples, args.duration = 3, 600, 10, 2.0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
