"""Dumping and restoring the database, with the row count of every table.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the live
database inside one read transaction, and the row counts are taken in that same
transaction, so copy and counts describe one moment while the site keeps serving
(WAL lets writers go on).

PostgreSQL: ``pg_dump`` (custom format) runs on a snapshot exported from the
REPEATABLE READ transaction in which the row counts are taken: one moment again.
``pg_restore`` loads the dump in a single transaction, so a failed restore leaves
the database as empty as it was."""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connection, transaction

from . import crypto, manifest
from .errors import BackupError

SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
STREAM_BYTES = 1 << 20
PG_ENV = (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"))
PG_OPTION_ENV = (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                 ("sslkey", "PGSSLKEY"), ("passfile", "PGPASSFILE"), ("service", "PGSERVICE"))


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _check_vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持 {connection.vendor} 数据库：备份与恢复只支持 SQLite 和 PostgreSQL。")
    if connection.in_atomic_block:
        raise BackupError("备份与恢复不能在数据库事务中进行。")
    return connection.vendor


def _snapshot_counts(cursor) -> tuple[dict, int | None]:
    """Row counts of every table, and the last sequence number of the security
    audit trail (restore appends its own event after it)."""
    from sitegroup.security.models import AuditEvent

    counts = manifest.count_rows(cursor, connection.introspection.table_names(cursor), _quote)
    audit_table, last_seq = AuditEvent._meta.db_table, None
    if audit_table in counts:
        cursor.execute(f"SELECT MAX(seq) FROM {_quote(audit_table)}")
        last_seq = cursor.fetchone()[0] or 0
    return counts, last_seq


def current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return manifest.count_rows(cursor, connection.introspection.table_names(cursor), _quote)


def ensure_empty() -> None:
    """Refuse (BackupError) unless the configured database holds no rows at all."""
    _check_vendor()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        filled = []
        for table in sorted(tables, key=lambda name: (name != "django_migrations", name)):
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
            if cursor.fetchone():
                filled.append(table)
    if filled:
        sample = "、".join(filled[:3]) + ("等" if len(filled) > 3 else "")
        raise BackupError(
            f"目标数据库不是空库：{len(filled)} 张表已有数据（{sample}）。恢复只写入全新的空数据库，"
            "不会覆盖现有数据；--yes 也不能绕过。要核对已恢复的数据库，请用 restore --verify-only。"
        )
    if tables and connection.vendor == "postgresql":
        raise BackupError(
            f"目标数据库中已有 {len(tables)} 张数据表（虽然没有数据），pg_restore 无法在其上恢复。"
            "请新建一个空数据库（CREATE DATABASE）并指向它后再恢复。"
        )


def describe_target() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {settings_dict['NAME']}"
    return f"PostgreSQL {settings_dict.get('NAME')}@{settings_dict.get('HOST') or 'localhost'}"


# ------------------------------------------------------------------ dump

def dump(work: Path, key: bytes | None) -> dict:
    """Write the database into ``work``; return the manifest's "database" section."""
    if _check_vendor() == "sqlite":
        return _dump_sqlite(work, key)
    return _dump_postgresql(work, key)


def _sqlite_path() -> str:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("内存中的 SQLite 数据库无法备份或恢复。")
    return name


def _dump_sqlite(work: Path, key: bytes | None) -> dict:
    _sqlite_path()
    connection.ensure_connection()
    raw = connection.connection
    plain = work / SQLITE_FILE
    # One read transaction: the copy and the counts see the same snapshot.
    raw.execute("BEGIN")
    try:
        with connection.cursor() as cursor:
            counts, last_seq = _snapshot_counts(cursor)
        copy = sqlite3.connect(plain)
        try:
            raw.backup(copy)
            # A self-contained file (no -wal beside it), checked before it is trusted.
            copy.execute("PRAGMA journal_mode=DELETE")
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
    finally:
        raw.execute("ROLLBACK")
    if check != "ok":
        raise BackupError(f"数据库副本自检失败：{check}")
    name = SQLITE_FILE
    if key is not None:
        name += crypto.SUFFIX
        crypto.encrypt_file(key, plain, work / name)
        plain.unlink()
    os.chmod(work / name, 0o600)
    return {"file": name, "format": "sqlite3", "tables": counts, "audit_last_seq": last_seq}


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"找不到 {name}：请安装与数据库服务器主版本一致的 PostgreSQL 客户端"
                          "（Debian：apt-get install postgresql-client）。")
    return path


def _pg_env() -> dict:
    settings_dict = connection.settings_dict
    env = dict(os.environ)
    for key, var in PG_ENV:
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for option, var in PG_OPTION_ENV:
        if options.get(option):
            env[var] = str(options[option])
    return env


def _failure(tool: str, returncode: int, stderr) -> BackupError:
    stderr.seek(0)
    text = stderr.read().decode("utf-8", "replace").strip()[-2000:]
    return BackupError(f"{tool} 失败（退出码 {returncode}）：{text or '无输出'}")


def _dump_postgresql(work: Path, key: bytes | None) -> dict:
    pg_dump = _pg_tool("pg_dump")
    name = PG_FILE + (crypto.SUFFIX if key is not None else "")
    target = work / name
    args = [pg_dump, "--format=custom", "--no-password", "--dbname", str(connection.settings_dict["NAME"])]
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        args.append(f"--snapshot={cursor.fetchone()[0]}")
        counts, last_seq = _snapshot_counts(cursor)
        # pg_dump runs while this transaction (and so its snapshot) is still open.
        with tempfile.TemporaryFile() as stderr:
            if key is None:
                result = subprocess.run([*args, "--file", str(target)], env=_pg_env(),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
                returncode = result.returncode
            else:
                returncode = _pg_dump_encrypted(args, target, key, stderr)
            if returncode != 0:
                raise _failure("pg_dump", returncode, stderr)
    os.chmod(target, 0o600)
    return {"file": name, "format": "pg_dump-custom", "tables": counts, "audit_last_seq": last_seq}


def _pg_dump_encrypted(args, target: Path, key: bytes, stderr) -> int:
    with open(target, "xb") as out:
        proc = subprocess.Popen(args, env=_pg_env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=stderr)
        try:
            writer = crypto.EncryptingWriter(key, out)
            while data := proc.stdout.read(STREAM_BYTES):
                writer.write(data)
            writer.close()
        finally:
            proc.stdout.close()
            returncode = proc.wait()
    return returncode


# ------------------------------------------------------------------ restore

def restore(set_dir: Path, info: dict, key: bytes | None) -> None:
    """Load the set's database into the configured (empty) database."""
    source = set_dir / info["file"]
    encrypted = info["file"].endswith(crypto.SUFFIX)
    if _check_vendor() == "sqlite":
        _restore_sqlite(source, key if encrypted else None)
    else:
        _restore_postgresql(source, key if encrypted else None)
    connection.close()


def _restore_sqlite(source: Path, key: bytes | None) -> None:
    target = _sqlite_path()
    connection.close()
    scratch = None
    try:
        if key is not None:
            # The backup API needs a database file: decrypt next to the target.
            fd, name = tempfile.mkstemp(prefix=".restore-", suffix=".sqlite3", dir=Path(target).parent)
            os.close(fd)
            scratch = Path(name)
            crypto.decrypt_file(key, source, scratch)
            source = scratch
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        except sqlite3.Error as exc:
            raise BackupError(f"写入 SQLite 数据库 {target} 失败：{exc}")
        finally:
            dst.close()
            src.close()
    finally:
        if scratch is not None:
            scratch.unlink(missing_ok=True)


def _restore_postgresql(source: Path, key: bytes | None) -> None:
    args = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
            "--single-transaction", "--no-password", "--dbname", str(connection.settings_dict["NAME"])]
    connection.close()
    with tempfile.TemporaryFile() as stderr:
        if key is None:
            result = subprocess.run([*args, str(source)], env=_pg_env(), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=stderr)
            returncode = result.returncode
        else:
            returncode = _pg_restore_encrypted(args, source, key, stderr)
        if returncode != 0:
            raise _failure("pg_restore", returncode, stderr)


def _pg_restore_encrypted(args, source: Path, key: bytes, stderr) -> int:
    with open(source, "rb") as src:
        reader = crypto.DecryptingReader(key, src, name=source.name)
        proc = subprocess.Popen(args, env=_pg_env(), stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            for data in reader.chunks():
                proc.stdin.write(data)
            proc.stdin.close()
        except BrokenPipeError:
            # pg_restore stopped early; its exit code and stderr say why.
            try:
                proc.stdin.close()
            except OSError:
                pass
        except BaseException:
            # A chunk failed authentication: kill pg_restore so its transaction rolls back.
            proc.kill()
            proc.wait()
            raise
        return proc.wait()
