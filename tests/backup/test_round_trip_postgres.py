"""backup → restore on PostgreSQL (pg_dump / pg_restore), plain and encrypted,
into throwaway databases created on the local server and dropped afterwards."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.backup.conftest import Env, make_key, manifest, pg_database, postgres_available
from tests.backup.drill import EXTRA_BYTES, EXTRA_MEDIA

pytestmark = pytest.mark.skipif(not postgres_available(),
                                reason="pg_dump / pg_restore 不在 PATH 上（需要 PostgreSQL 客户端）")

AUDIT_TABLE = "security_auditevent"


@pytest.fixture(scope="module")
def source(sources):
    return sources.futures["postgres"].result()


@pytest.fixture
def target(sources, tmp_path, request):
    name = f"{sources.prefix}_{request.node.name[5:30]}"
    sources.created.append(name)
    return Env(tmp_path / "target", pg_database(name))


def assert_restored(target: Env, source, set_dir):
    expected = manifest(set_dir)["database"]["tables"]
    report = target.drill("report")
    assert report["counts"] == {**expected, AUDIT_TABLE: expected[AUDIT_TABLE] + 1}
    assert report["audit"][-1][:2] == ["restore", str(set_dir)]
    assert report["ledger"] == [expected["review_ledgerentry"], None]
    assert report["audit_chain"] == [expected[AUDIT_TABLE] + 1, None]
    assert report["homes"] == {"jiujiang.localhost": [200, True], "xiushui.localhost": [200, True]}
    assert (target.media / EXTRA_MEDIA).read_bytes() == EXTRA_BYTES
    assert report["media"] == source.before["media"]


def test_postgres_round_trip(source, target):
    data = manifest(source.plain)
    assert data["database"]["vendor"] == "postgresql"
    assert data["database"]["tables"] == source.before["counts"]
    assert (source.plain / "database.pgdump").read_bytes().startswith(b"PGDMP")

    result = target.manage("restore", source.plain, "--yes")
    assert "恢复完成" in result.stdout
    assert_restored(target, source, source.plain)

    again = target.manage("restore", source.plain, "--yes", ok=False)
    assert "目标数据库不是空库" in again.stderr
    assert "校验通过" in target.manage("restore", "--verify-only", source.plain).stdout


def test_postgres_encrypted_round_trip(source, target, tmp_path):
    assert not (source.encrypted / "database.pgdump.enc").read_bytes().startswith(b"PGDMP")
    # A wrong key is refused before anything is touched (in-process: no database access here).
    with pytest.raises(CommandError, match="解密密钥不正确"):
        call_command("restore", str(source.encrypted), "--yes",
                     "--decrypt-key-file", str(make_key(tmp_path / "wrong.key")))
    target.manage("restore", source.encrypted, "--yes", "--decrypt-key-file", source.key)
    assert_restored(target, source, source.encrypted)
