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
    last = chain.last()
    forged = LedgerEntry.objects.get(pk=chain[1].pk)
    LedgerEntry.objects.filter(seq__gte=2).update(seq=models_shift())
    forged.pk = None
    forged.seq = 2
    forged.entry_hash = "f" * 64
    forged.save()
    with pytest.raises(CommandError, match="台账校验失败"):
        call_command("verify_ledger")
    assert last is not None


def models_shift():
    from django.db.models import F

    return F("seq") + 1000
