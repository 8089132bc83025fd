"""Round trips run manage.py in subprocesses, each against its own database
and VAR_DIR (so its own media directory).

The sources (a migrated SQLite and a migrated PostgreSQL database, each with a
small site group, a plain and an encrypted backup) are prepared side by side
when the first test needs one: migrating is the slow part, and the two take a
core each."""

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.backup.settings"
PG_ADMIN = dict(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")


class Env:
    """One database and one VAR_DIR, driven through manage.py."""

    def __init__(self, workdir: Path, database_url: str):
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.var = workdir / "var"
        self.media = self.var / "media"
        self.environ = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SITEGROUP_VAR_DIR": str(self.var),
            "DJANGO_SETTINGS_MODULE": SETTINGS,
        }

    @classmethod
    def sqlite(cls, workdir: Path):
        return cls(workdir, f"sqlite:///{workdir / 'db.sqlite3'}")

    def run(self, *args, ok=True):
        result = subprocess.run([sys.executable, *map(str, args)], cwd=ROOT, env=self.environ,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
        if ok is not None and (result.returncode == 0) != ok:
            pytest.fail(f"{' '.join(map(str, args))} exited {result.returncode}\n"
                        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr[-4000:]}")
        return result

    def manage(self, *args, ok=True):
        return self.run("manage.py", *args, ok=ok)

    def drill(self, action):
        return json.loads(self.run("-m", "tests.backup.drill", action).stdout.strip().splitlines()[-1])

    def backup(self, output: Path, *extra):
        before = set(output.iterdir()) if output.is_dir() else set()
        result = self.manage("backup", "--output", output, *extra)
        made = [p for p in set(output.iterdir()) - before if p.is_dir() and not p.name.endswith(".partial")]
        assert len(made) == 1, (made, result.stdout)
        return made[0], result


def manifest(set_dir: Path) -> dict:
    return json.loads((set_dir / "manifest.json").read_text(encoding="utf-8"))


def make_key(path: Path, key: bytes | None = None) -> Path:
    path.write_text((key or os.urandom(32)).hex() + "\n")
    path.chmod(0o600)
    return path


def postgres_available() -> bool:
    return shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(**PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def pg_url(name: str) -> str:
    return f"postgres://{PG_ADMIN['user']}@{PG_ADMIN['host']}:{PG_ADMIN['port']}/{name}"


def pg_database(name: str) -> str:
    """Create an empty throwaway database; return its URL (dropped by ``sources``)."""
    pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_admin(f"CREATE DATABASE {name}")
    return pg_url(name)


def prepare_source(workdir: Path, database_url: str):
    """A migrated database with a small site group and media, its report, and a
    plain and an encrypted backup of it."""
    env = Env(workdir, database_url)
    env.manage("migrate", "--noinput", "-v0")
    made = env.drill("populate")
    before = env.drill("report")
    plain, plain_run = env.backup(workdir / "plain")
    key = make_key(workdir / "backup.key")
    encrypted, _ = env.backup(workdir / "encrypted", "--encrypt-key-file", key)
    return SimpleNamespace(env=env, made=made, before=before, plain=plain, plain_run=plain_run,
                           encrypted=encrypted, key=key)


@pytest.fixture(scope="session")
def sources(request, tmp_path_factory):
    """kind → future of its prepared source, for the kinds this session will test."""
    wanted = {item.nodeid.split("::")[0] for item in request.session.items}
    kinds = [kind for kind in ("sqlite", "postgres")
             if any(f"test_round_trip_{kind}" in path for path in wanted)
             and (kind == "sqlite" or postgres_available())]
    prefix = f"sitegroup_backup_{os.getpid()}"
    created = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {}
        for kind in kinds:
            workdir = tmp_path_factory.mktemp(f"{kind}-source")
            if kind == "sqlite":
                url = f"sqlite:///{workdir / 'db.sqlite3'}"
            else:
                created.append(f"{prefix}_source")
                url = pg_database(created[-1])
            futures[kind] = pool.submit(prepare_source, workdir, url)
        yield SimpleNamespace(futures=futures, created=created, prefix=prefix)
        for future in futures.values():
            future.cancel()
    for name in created:
        pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
