"""Screening throughput: the automaton against a naive per-term loop.

10 MB of Chinese text (the two regulations from shared/seeds, or built-in
paragraphs, repeated) against a 10,000-term dictionary, plus the time to screen
a typical 5,000-character article with and without two attachments.

    python -m tests.benchmarks.bench_review [--small]
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitegroup.settings.dev")

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FALLBACK = (
    "第二十八条 各级政府网站应当明确网站负责人和信息员，建立值班读网制度，及时更新网站内容。"
    "第三十条 政府网站发布信息实行“谁上网，谁负责”，涉密信息不上网，上网信息不涉密。"
)


def corpus() -> str:
    from sites.importing import to_simplified

    if SEEDS.is_dir():
        text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
        return to_simplified(text)
    return FALLBACK


def build_terms(text: str, count: int, present: int):
    rng = random.Random(7)
    alphabet = sorted({ch for ch in text if "\u4e00" <= ch <= "\u9fff"})
    terms = set()
    # A few terms that do occur (a real list hits now and then) ...
    while len(terms) < present:
        start = rng.randrange(0, len(text) - 4)
        word = text[start:start + rng.randint(2, 4)]
        if all("\u4e00" <= ch <= "\u9fff" for ch in word):
            terms.add(word)
    # ... and many that do not.
    while len(terms) < count:
        terms.add("".join(rng.choice(alphabet) for _ in range(rng.randint(3, 5))))
    return sorted(terms)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--naive-seconds", type=float, default=60.0, help="stop the naive loop and extrapolate")
    args = parser.parse_args(argv)
    if args.small:
        args.megabytes, args.naive_seconds = 1.0, 10.0

    import django

    django.setup()
    from review.screening import Dictionary, Entry, builtin_entries, screen_text
    from sites.extraction import extract_file_text
    from tests.review.files import docx_bytes, xlsx_bytes

    base = corpus()
    target = int(args.megabytes * 1_000_000)
    repeats = max(1, target // len(base.encode()) + 1)
    text = (base * repeats)
    while len(text.encode()) > target:
        text = text[: int(len(text) * target / len(text.encode()))]
    size_mb = len(text.encode()) / 1_000_000
    terms = build_terms(base, args.terms, present=50)
    dictionary = Dictionary(builtin_entries() + [Entry(t, "sensitive", "warn") for t in terms])

    started = time.perf_counter()
    matches = sum(1 for _ in dictionary.matches(text))
    automaton_s = time.perf_counter() - started
    # The same size of dictionary with none of its own terms in the text: the usual case.
    sparse = Dictionary(builtin_entries() + [Entry(t, "sensitive", "warn") for t in build_terms(base, args.terms, 0)])
    started = time.perf_counter()
    sparse_matches = sum(1 for _ in sparse.matches(text))
    sparse_s = time.perf_counter() - started

    started = time.perf_counter()
    full = screen_text(text, "基准文本", dictionary)
    full_s = time.perf_counter() - started

    naive_hits, done = 0, 0
    started = time.perf_counter()
    for term in terms:
        naive_hits += text.count(term)
        done += 1
        if time.perf_counter() - started > args.naive_seconds:
            break
    naive_s = (time.perf_counter() - started) * len(terms) / done

    article = (base * 3)[:5000]
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        screen_text(article, "正文", dictionary)
        times.append(time.perf_counter() - t0)
    attachments = [
        ("附件一.docx", docx_bytes(*[article[i:i + 500] for i in range(0, 5000, 500)])),
        ("附件二.xlsx", xlsx_bytes([[article[i:i + 200]] for i in range(0, 5000, 200)])),
    ]
    with_files = []
    for _ in range(10):
        t0 = time.perf_counter()
        screen_text(article, "正文", dictionary)
        for name, data in attachments:
            screen_text(extract_file_text(io.BytesIO(data), name), name, dictionary)
        with_files.append(time.perf_counter() - t0)

    print(f"input: {size_mb:.1f} MB of Chinese text, dictionary: {len(dictionary)} terms")
    print(f"automaton, few hits:         {size_mb / sparse_s:8.1f} MB/s  ({sparse_matches} matches)")
    print(f"automaton, dense hits:       {size_mb / automaton_s:8.1f} MB/s  ({matches} matches)")
    print(f"full screening (normalise,   {size_mb / full_s:8.1f} MB/s  ({len(full)} findings)")
    print("  marks, personal numbers):")
    extrapolated = " (extrapolated)" if done < len(terms) else ""
    print(f"naive per-term loop:         {size_mb / naive_s:8.2f} MB/s{extrapolated}")
    print(f"automaton / naive:           {naive_s / automaton_s:8.0f}x")
    print(f"5,000-char article:          median {statistics.median(times) * 1000:.2f} ms")
    print(f"  with .docx + .xlsx:        median {statistics.median(with_files) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
