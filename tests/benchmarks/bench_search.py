"""Search at scale: 100,000 articles across 30 sites, embedded engine vs Wagtail's
database search backend, on SQLite and PostgreSQL.

Reports full-rebuild throughput (measured on a sample of real pages through the
whole page-reading path, and for the engine's bulk writes over all documents),
p50/p95 latency for one-word, two-word and filtered queries, and how many
queries find the expected article in their top 10.

    python -m tests.benchmarks.bench_search [--small] [--databases sqlite,postgres]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "bench_sitegroup_search"

# Filler vocabulary deliberately avoids the query words, so the needles must be found on merit.
FILLER = [
    "会议", "强调", "推进", "落实", "工作", "部署", "项目", "建设", "群众", "服务", "发展", "经济", "改革",
    "创新", "乡村", "振兴", "生态", "环境", "保护", "安全", "生产", "教育", "医疗", "卫生", "交通",
    "城市", "管理", "规划", "产业", "企业", "市场", "监管", "执法", "检查", "整改", "考核", "目标",
]
NEEDLES = {
    "regulation": ("九江市电子政务管理办法", "portal", "policy"),
    "insurance": ("关于调整社会保险缴费基数的通知", "county", "notice"),
    "duty": ("关于做好节假日值班读网工作的通知", "department", "notice"),
}
QUERIES = [
    # (label, query words, filters, expected needle)
    ("one word: 备案", [["备案"]], {}, "regulation"),
    ("one word: 九江", [["九江"]], {}, "regulation"),
    ("one word: 值班", [["值班"]], {}, "duty"),
    ("one word: 社会保险", [["社会保险"]], {}, "insurance"),
    ("two words: 电子政务 管理", [["电子政务"], ["管理"]], {}, "regulation"),
    ("two words: 值班 读网", [["值班"], ["读网"]], {}, "duty"),
    ("two words: 网站 备案", [["网站"], ["备案"]], {}, "regulation"),
    ("filtered: 备案 + portal", [["备案"]], {"site": "portal"}, "regulation"),
    ("filtered: 社会保险 + notice", [["社会保险"]], {"column_kind": "notice"}, "insurance"),
    ("filtered: 值班 + 2026-10..", [["值班"]], {"date_from": "2026-10-01"}, "duty"),
    # Words in almost every document: the worst case for ranking, no single expected article.
    ("common word: 管理", [["管理"]], {}, None),
    ("common words: 工作 会议", [["工作"], ["会议"]], {}, None),
]


def regulation_text():
    path = SEEDS / "jiujiang-egov-measures.txt"
    if path.is_file():
        from sites.importing import to_simplified

        return to_simplified(path.read_text(encoding="utf-8"))
    return ("第二十七条 新建或者改建政府网站应当向市政府信息办备案。九江市各级政府网站实行集约化建设。"
            "第二十八条 建立值班读网制度。") * 5


def build_and_measure(args):
    import datetime

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Page

    from search.engines.base import SearchQuery
    from search.engines.embedded import EmbeddedEngine
    from search.indexing import document_for
    from search.segment import segmented
    from sitegroup.registry.lookup import profiles_by_root_path
    from sites.models import ArticlePage
    from tests.benchmarks.bulkpages import add_articles
    from tests.factories import column, make_site

    call_command("migrate", verbosity=0)
    rng = random.Random(11)
    profiles = [make_site("portal")]
    for i in range(1, args.sites):
        kind = "county" if i % 2 else "department"
        profiles.append(make_site(kind, name=f"测试站点{i}", code=f"site{i}", hostname=f"site{i}.localhost"))
    kinds = {"portal": profiles[0], "county": profiles[1], "department": profiles[2]}
    columns = [column(p, slug) for p in profiles for slug in ("ywdt", "tzgg", "zcwj", "xxgk")]
    per_column = max(1, args.articles // len(columns))
    started = time.perf_counter()
    for col in columns:
        batch = []
        for _ in range(per_column):
            words = rng.choices(FILLER, k=60)
            batch.append({
                "title": "".join(rng.choices(FILLER, k=5)),
                "body": "\n".join("".join(words[i:i + 12]) + "。" for i in range(0, 60, 12)),
                "date": datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(300)),
            })
        add_articles(col, batch)
    bodies = {
        "regulation": regulation_text(),
        "insurance": "根据省人社厅通知，调整社会保险缴费基数，请参保单位按时申报。社会保险经办机构延长服务时间。",
        "duty": "节假日期间各单位要落实值班读网制度，值班人员每日读网并填写记录。",
    }
    needle_ids = {}
    for key, (title, kind, slug_kind) in NEEDLES.items():
        slug = {"policy": "zcwj", "notice": "tzgg"}[slug_kind]
        col = column(kinds[kind], slug)
        add_articles(col, [{"title": title, "body": bodies[key], "date": datetime.date(2026, 11, 1)}])
        needle_ids[key] = Page.objects.child_of(col).order_by("-path").values_list("pk", flat=True).first()
    build_s = time.perf_counter() - started
    total_pages = ArticlePage.objects.count()

    engine = EmbeddedEngine()
    home_profiles = profiles_by_root_path()
    # 1. Real rebuild path (read page, extract text, segment, write) on a sample.
    sample_ids = list(ArticlePage.objects.order_by("?").values_list("pk", flat=True)[: args.sample])
    t0 = time.perf_counter()
    for start in range(0, len(sample_ids), 200):
        pages = Page.objects.filter(pk__in=sample_ids[start:start + 200]).specific()
        engine.index([d for d in (document_for(p, home_profiles) for p in pages) if d])
    sample_rate = len(sample_ids) / (time.perf_counter() - t0)

    # 2. Full index of every article through the engine's bulk path.
    engine.clear()
    t0 = time.perf_counter()
    # Oldest first, as search_index rebuild does; column kinds come with each document.
    rows = ArticlePage.objects.order_by("date", "pk").values_list("pk", "title", "body", "path", "date")
    by_home = {p.site.root_page.path: p for p in home_profiles.values()}
    kind_by_column = {col.path: col.specific.kind for col in columns}
    batch, indexed = [], 0
    for pk, title, body, path, date in rows.iterator(chunk_size=2000):
        raw = body.raw_data if hasattr(body, "raw_data") else json.loads(body)
        text = " ".join(str(block.get("value", "")) for block in raw)
        text = text.replace("<p>", "").replace("</p>", "\n")
        profile = by_home[path[:8]]
        batch.append({
            "page_id": pk, "site_id": profile.pk, "title": title, "body": text,
            "segmented_title": segmented(title), "segmented": segmented(text),
            "column_title": "", "column_kind": kind_by_column.get(path[: 3 * Page.steplen], ""), "content_type": "article",
            "date": date, "source": "",
            "url": f"/{pk}/",
        })
        if len(batch) == 1000:
            engine.index(batch)
            indexed += len(batch)
            batch = []
    engine.index(batch)
    indexed += len(batch)
    engine.analyse()
    full_rate = indexed / (time.perf_counter() - t0)

    # Wagtail's own database backend on the same pages.
    wagtail_index_s = None
    if not args.skip_wagtail:
        t0 = time.perf_counter()
        call_command("update_index", verbosity=0)
        wagtail_index_s = time.perf_counter() - t0

    results = []
    for label, terms, filters, expected in QUERIES:
        query = SearchQuery(terms=terms, limit=10)
        if "site" in filters:
            query.site_ids = [kinds[filters["site"]].pk]
        if "column_kind" in filters:
            query.column_kind = filters["column_kind"]
        if "date_from" in filters:
            query.date_from = datetime.date.fromisoformat(filters["date_from"])
        times, hits = [], []
        for _ in range(args.repeats):
            t = time.perf_counter()
            found = engine.search(query)
            times.append(time.perf_counter() - t)
            hits = [h.page_id for h in found.hits]
        words = " ".join(w[0] for w in terms)
        wagtail_qs = ArticlePage.objects.live()
        if "site" in filters:
            wagtail_qs = wagtail_qs.descendant_of(kinds[filters["site"]].site.root_page)
        if "date_from" in filters:
            wagtail_qs = wagtail_qs.filter(date__gte=filters["date_from"])
        wtimes, whits = [0.0], []
        for _ in range(0 if args.skip_wagtail else max(3, args.repeats // 4)):
            t = time.perf_counter()
            whits = [p.pk for p in wagtail_qs.search(words)[:10]]
            wtimes.append(time.perf_counter() - t)
        results.append({
            "label": label,
            "p50": statistics.median(times) * 1000,
            "p95": sorted(times)[max(0, int(len(times) * 0.95) - 1)] * 1000,
            "found": needle_ids[expected] in hits if expected else None,
            "w_p50": statistics.median(wtimes) * 1000,
            "w_p95": sorted(wtimes)[max(0, int(len(wtimes) * 0.95) - 1)] * 1000,
            "w_found": needle_ids[expected] in whits if expected else None,
        })
    print(json.dumps({
        "vendor": connection.vendor, "pages": total_pages, "build_s": build_s, "sample": len(sample_ids),
        "sample_rate": sample_rate, "full_rate": full_rate, "indexed": indexed,
        "wagtail_index_s": wagtail_index_s, "results": results,
    }, ensure_ascii=False))


def run_database(kind, args):
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-search-{kind}-"))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tests.benchmarks.settings", SITEGROUP_VAR_DIR=str(workdir))
    env["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # bulk rows bypass signals anyway
    try:
        if kind == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{workdir / 'search.sqlite3'}"
        else:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_DB}")
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
        cmd = [sys.executable, "-m", "tests.benchmarks.bench_search", "--child",
               "--articles", str(args.articles), "--sites", str(args.sites),
               "--sample", str(args.sample), "--repeats", str(args.repeats)]
        if args.skip_wagtail:
            cmd.append("--skip-wagtail")
        out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])
    finally:
        if kind == "postgres":
            try:
                import psycopg

                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            except Exception as exc:  # noqa: BLE001
                print("warning: could not drop bench database:", exc)
        shutil.rmtree(workdir, ignore_errors=True)


def report(data):
    print(f"\n[{data['vendor']}] {data['pages']} articles (built in {data['build_s']:.0f}s)")
    print(f"rebuild through pages (sample of {data['sample']}): {data['sample_rate']:.0f} docs/s; "
          f"engine bulk index of all {data['indexed']}: {data['full_rate']:.0f} docs/s; "
          + (f"Wagtail update_index: {data['pages'] / data['wagtail_index_s']:.0f} docs/s"
             if data["wagtail_index_s"] else "Wagtail backend skipped"))
    print(f"{'query':30} {'p50':>8} {'p95':>8} {'top10':>6} | {'wagtail p50':>11} {'p95':>8} {'top10':>6} | p50 ratio")
    mark = {True: "yes", False: "NO", None: "-"}
    for r in data["results"]:
        line = f"{r['label']:30} {r['p50']:7.1f}ms {r['p95']:7.1f}ms {mark[r['found']]:>6} | "
        if data["wagtail_index_s"]:
            ratio = r["w_p50"] / r["p50"] if r["p50"] else 0
            line += f"{r['w_p50']:10.1f}ms {r['w_p95']:7.1f}ms {mark[r['w_found']]:>6} | {ratio:6.1f}x"
        else:
            line += "(skipped)"
        print(line)
    judged = [r for r in data["results"] if r["found"] is not None]
    found = sum(r["found"] for r in judged)
    wfound = sum(r["w_found"] for r in judged)
    wagtail = f"{wfound}/{len(judged)}" if data["wagtail_index_s"] else "not measured"
    print(f"expected article in top 10: embedded {found}/{len(judged)}, Wagtail database backend "
          f"{wagtail}; worst p95 {max(r['p95'] for r in data['results']):.1f} ms")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=30)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--skip-wagtail", action="store_true",
                        help="do not build Wagtail's index (its update_index takes very long on PostgreSQL)")
    args = parser.parse_args(argv)
    if args.small:
        args.articles, args.sites, args.sample, args.repeats = 5_000, 5, 300, 8
    if args.child:
        build_and_measure(args)
        return 0
    for kind in [d.strip() for d in args.databases.split(",") if d.strip()]:
        report(run_database(kind, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
