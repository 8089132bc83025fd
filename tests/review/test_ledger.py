import pytest
from django.core.management import CommandError, call_command

from review import ledger
from review.models import LedgerEntry
from tests.factories import column, make_article


@pytest.fixture
def chain(county):
    news = column(county, "ywdt")
    for n in range(3):
        make_article(news, f"台账测试{n}")
    assert LedgerEntry.objects.count() >= 3
    call_command("verify_ledger")
    return LedgerEntry.objects.order_by("seq")


def test_chain_links_each_entry_to_the_previous(chain):
    entries = list(chain)
    assert entries[0].prev_hash == ledger.GENESIS
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.entry_hash
        assert len(entry.content_hash) == 64


def test_edited_row_is_reported(chain):
    target = chain[1]
    LedgerEntry.objects.filter(pk=target.pk).update(username="篡改者")
    with pytest.raises(CommandError, match=f"第 {target.seq} 条内容被改动"):
        call_command("verify_ledger")


def test_deleted_row_is_reported(chain):
    target = chain[1]
    LedgerEntry.objects.filter(pk=target.pk).delete()
    with pytest.raises(CommandError, match=f"第 {target.seq} 条缺失"):
        call_command("verify_ledger")


def test_inserted_row_is_reported(chain):
    """An insider inserts a well-formed row (its own hash correct, linked to the
    row before it) and renumbers the rows after it so the sequence has no gap:
    the row after the insertion no longer links to its predecessor."""
    first = chain[0]
    for entry in LedgerEntry.objects.filter(seq__gte=2).order_by("-seq"):  # highest first: seq is unique
        LedgerEntry.objects.filter(pk=entry.pk).update(seq=entry.seq + 1)
    forged = LedgerEntry(
        seq=2, action="publish", username="伪造者", page_id_ref=first.page_id_ref, page_title="伪造记录",
        content_hash=ledger.GENESIS, detail={}, created_at=first.created_at, prev_hash=first.entry_hash,
    )
    forged.entry_hash = ledger.compute_hash(forged)
    forged.save()
    count, problem = ledger.verify()
    assert problem == "第 3 条的前序哈希与上一条不符（有记录被删除、插入或改动）" and count == 3
    with pytest.raises(CommandError, match="第 3 条的前序哈希与上一条不符"):
        call_command("verify_ledger")
