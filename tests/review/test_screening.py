import pytest

from review.dictionary import dictionary_for
from review.models import Term, WordList
from review.normalize import normalise
from review.screening import BLOCK, WARN, Dictionary, Entry, builtin_entries, screen_text
from sites.personal import luhn_ok, valid_resident_id

BUILTIN = Dictionary(builtin_entries())


def kinds(text, dictionary=BUILTIN):
    return [(f.kind, f.level, f.matched) for f in screen_text(text, "正文", dictionary)]


@pytest.mark.parametrize("text", ["机密★1年", "秘密★", "绝密★★ 10年", "机密 ★ 6个月"])
def test_classification_marks_block(text):
    found = kinds(f"文件标注{text}，请注意。")
    assert found and found[0][0] == "classification" and found[0][1] == BLOCK


@pytest.mark.parametrize(
    "disguised",
    ["内部资料", "内 部 资 料", "内\u200b部\u200d资料", "&#20869;&#37096;资料", "内部\u3000资料", "内部&nbsp;资料"],
)
def test_disguises_are_normalised(disguised):
    found = kinds(f"本文件为{disguised}，请勿外传")
    assert ("secrecy", BLOCK) == found[0][:2], found


def test_full_width_digits_in_id_numbers_are_caught():
    full_width = "１１０１０５１９４９１２３１００２Ｘ"
    found = kinds(f"身份证：{full_width}")
    assert found[0][0] == "id_number"
    assert "*" in found[0][2] and "1949" not in found[0][2]


def test_normalise_keeps_offsets_to_original():
    text = "前文机\u200b密后文"
    norm, offsets, source = normalise(text)
    assert norm == "前文机密后文"
    assert source == text and text[offsets[2]] == "机" and text[offsets[3]] == "密"
    spaced = "甲 乙\u200b \u200b丙&#20869;丁"
    norm, offsets, source = normalise(spaced)
    assert norm == "甲乙丙内丁"
    assert [source[offsets[i]] for i in range(len(norm))] == list("甲乙丙内丁")


def test_id_check_digit_and_luhn():
    assert valid_resident_id("11010519491231002X")
    assert not valid_resident_id("110105194912310021")
    assert not luhn_ok("4111111111111112")
    assert luhn_ok("4111111111111111")
    found = kinds("身份证 110105194912310021 无效，卡号 4111111111111111，手机 13912345678")
    assert [k for k, *_ in found] == ["bank_card", "mobile"]


def test_numbers_inside_longer_digit_runs_are_not_phones():
    assert all(kind != "mobile" for kind, *_ in kinds("编号 2139123456789012"))


def test_context_is_highlighted_and_masked():
    finding = screen_text("联系人王某，身份证号11010519491231002X，请核实。", "附件“名单.docx”", BUILTIN)[0]
    assert finding.location == "附件“名单.docx”"
    assert finding.before.endswith("身份证号") and finding.after.startswith("，请核实")
    assert "11010519491231002X" not in finding.line()


def test_managed_lists_levels_and_corrections(county, department):
    group_list = WordList.objects.create(name="全站群敏感词")
    Term.objects.create(word_list=group_list, word="违禁词甲", level=BLOCK)
    Term.objects.create(word_list=group_list, word="注意词乙", level=WARN)
    Term.objects.create(word_list=group_list, kind="wrong", word="九江市长", correction="九江市市长", level=WARN)
    site_list = WordList.objects.create(name="修水县词库", site=county)
    Term.objects.create(word_list=site_list, word="修水专用词", level=BLOCK)

    text = "违禁词甲、注意词乙、九江市长讲话、修水专用词"
    found = {f.matched: f for f in screen_text(text, "正文", dictionary_for(county.pk))}
    assert found["违禁词甲"].level == BLOCK and found["注意词乙"].level == WARN
    assert found["九江市长"].kind == "wrong" and found["九江市长"].correction == "九江市市长"
    assert "修水专用词" in found
    other = {f.matched for f in screen_text(text, "正文", dictionary_for(department.pk))}
    assert "修水专用词" not in other

    # Lists are recompiled when they change.
    Term.objects.create(word_list=group_list, word="新增词丙", level=BLOCK)
    assert any(f.matched == "新增词丙" for f in screen_text("新增词丙", "正文", dictionary_for(county.pk)))
    group_list.active = False
    group_list.save()
    assert not any(f.matched == "违禁词甲" for f in screen_text(text, "正文", dictionary_for(county.pk)))


def test_empty_and_large_dictionaries():
    assert kinds("普通文字", Dictionary([])) == []
    big = Dictionary([Entry(f"词{i:05d}", "sensitive", WARN) for i in range(20000)] + [Entry("", "sensitive", WARN)])
    assert len(big) == 20000
    assert [f.matched for f in screen_text("前缀词01234后缀", "正文", big)] == ["词01234"]


def test_block_entry_wins_over_duplicate_warn():
    d = Dictionary([Entry("重复词", "sensitive", WARN), Entry("重复词", "sensitive", BLOCK)])
    assert kinds("重复词", d)[0][1] == BLOCK
