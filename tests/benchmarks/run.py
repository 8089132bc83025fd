"""`make bench`: run every tests/benchmarks/bench_*.py in its own process.

Each benchmark configures its own database and settings, so they are isolated
from each other and from the development database.
Usage: python -m tests.benchmarks.run [--only NAME[,NAME]] [--small]
"""

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="comma-separated benchmark names, e.g. site,search")
    parser.add_argument("--small", action="store_true", help="scaled-down data for a quick run")
    args, rest = parser.parse_known_args(argv)
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    failures = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"\n===== benchmark: {name} =====", flush=True)
        cmd = [sys.executable, "-m", f"tests.benchmarks.{path.stem}", *rest]
        if args.small:
            cmd.append("--small")
        result = subprocess.run(cmd, cwd=HERE.parents[1])
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
