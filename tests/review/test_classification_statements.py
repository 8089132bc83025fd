"""A text that states its own classification blocks publication, however it is
disguised; prose that talks about secrets does not.

The last tests measure the false-positive rate on real texts: the two seed
regulations (Traditional script, converted as the importer does) and every demo
article, which must produce no classification or secrecy block at all. Run with
``-s`` to see the figures.
"""

import re
import time
from pathlib import Path

import pytest

from review.normalize import normalise
from review.screening import BLOCK, WARN, Dictionary, builtin_entries, screen_text

BUILTIN = Dictionary(builtin_entries())
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_FILES = ["jiujiang-egov-measures.txt", "tianjin-egov-measures-2004.txt"]
SECRECY_KINDS = ("classification", "secrecy")


def findings(text, dictionary=BUILTIN):
    return screen_text(text, "正文", dictionary)


def blocks(text):
    return [f for f in findings(text) if f.level == BLOCK and f.kind in SECRECY_KINDS]


def statement_blocks(text):
    """Blocks other than the built-in word 绝密, which blocks wherever it stands
    (a dictionary entry older than these rules, see BUILTIN_TERMS)."""
    return [f for f in blocks(text) if normalise(f.matched)[0] != "绝密"]


# ------------------------------------------------------------------ disguises

CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def _between_cjk(text, separator):
    """Put ``separator`` between every two adjacent Chinese characters."""
    return re.sub(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", lambda _m: separator, text)


DISGUISES = {
    "plain": lambda t: t,
    "ascii space": lambda t: _between_cjk(t, " "),
    "ideographic space": lambda t: _between_cjk(t, "\u3000"),
    "no-break space": lambda t: _between_cjk(t, "\u00a0"),
    "zero-width space": lambda t: _between_cjk(t, "\u200b"),
    "zero-width joiner + BOM": lambda t: _between_cjk(t, "\u200d\ufeff"),
    "en space": lambda t: _between_cjk(t, "\u2002"),
    "&nbsp;": lambda t: _between_cjk(t, "&nbsp;"),
    "&#8203;": lambda t: _between_cjk(t, "&#8203;"),
    "mixed spaces": lambda t: _between_cjk(t, " \u200b\u3000"),
    "decimal entities": lambda t: CJK_RE.sub(lambda m: f"&#{ord(m.group(0))};", t),
    "hex entities": lambda t: CJK_RE.sub(lambda m: f"&#x{ord(m.group(0)):X};", t),
    "entities and &nbsp;": lambda t: _between_cjk(
        CJK_RE.sub(lambda m: f"&#x{ord(m.group(0)):x};", t), "&nbsp;"
    ).replace(";&#", ";&nbsp;&#"),
}

# (text, kind) — statements that may stand anywhere in a text.
STATEMENTS = [
    # 密级 fields and labels
    ("密级：秘密", "classification"),
    ("密级:机密", "classification"),
    ("密 级: 机密", "classification"),
    ("密级 绝密", "classification"),
    ("【密级】秘密", "classification"),
    ("密级：【机密】", "classification"),
    ("密级为机密", "classification"),
    ("保密等级：秘密", "classification"),
    ("保密级别：机密", "classification"),
    # 内部 is no state-secret level, but a document labelled 内部 is not public either.
    ("密级：内部", "secrecy"),
    # sentences about this document
    ("本文件属机密级", "classification"),
    ("此材料为秘密文件", "classification"),
    ("该文件属于绝密材料", "classification"),
    ("本通知为机密级文件", "classification"),
    ("本文件系机密文件", "classification"),
    ("该资料列为秘密事项", "classification"),
    ("本报告属于机密", "classification"),
    ("此为秘密资料", "classification"),
    ("本文件属“机密”级", "classification"),
    # levels with 级
    ("机密级", "classification"),
    ("秘密级", "classification"),
    ("绝密级", "classification"),
    ("文件标注机密级", "classification"),
    # ★ marks (unchanged behaviour)
    ("机密★1年", "classification"),
    ("秘密★", "classification"),
]

# A line holding only a level at the head of a document.
HEAD_LINES = [
    "秘密",
    "机密",
    "绝密",
    "机密 ★",
    "秘密    1年",
    "机密★6个月",
    "秘密 一年",
    "绝密★启用前",
    "秘密（10年）",
]


def _one_block(found, kind):
    assert len(found) == 1, [(f.kind, f.level, f.matched) for f in found]
    assert (found[0].kind, found[0].level) == (kind, BLOCK)
    return found[0]


@pytest.mark.parametrize("disguise", DISGUISES)
@pytest.mark.parametrize("text, kind", STATEMENTS)
def test_statements_block_alone(text, kind, disguise):
    _one_block(findings(DISGUISES[disguise](text)), kind)


@pytest.mark.parametrize("disguise", DISGUISES)
@pytest.mark.parametrize("text, kind", STATEMENTS)
def test_statements_block_inside_running_text(text, kind, disguise):
    found = findings(DISGUISES[disguise](f"经审核，{text}，请按规定妥善管理。"))
    finding = _one_block(found, kind)
    # The finding is shown in its original context, disguises and all.
    source = normalise(DISGUISES[disguise](f"经审核，{text}，请按规定妥善管理。"))[2]
    assert finding.before + finding.matched + finding.after in source
    assert normalise(finding.matched)[0].strip("【】") in normalise(text)[0]


@pytest.mark.parametrize("disguise", DISGUISES)
@pytest.mark.parametrize("line", HEAD_LINES)
def test_a_level_alone_on_a_head_line_blocks(line, disguise):
    for document in (
        f"{line}\n九江市人民政府文件\n九府发〔2026〕3号\n关于加强网站管理的通知",
        f"000123\n{line}\n特急\n九江市人民政府文件",  # 份号, 密级, 紧急程度 (GB/T 9704)
        f"\n\u3000\u3000\n\u200b\r\n{line}\r\n正文第一段。",  # blank lines before it do not count
    ):
        found = findings(DISGUISES[disguise](document))
        finding = _one_block(found, "classification")
        assert normalise(finding.matched)[0].replace(" ", "") == normalise(line)[0].replace(" ", "")
        assert "\n" not in finding.matched


@pytest.mark.parametrize(
    "text",
    [
        "密级\u3000：\u00a0秘密",
        "密级&#65306;&nbsp;秘密",
        "密&#x7EA7;&#xFF1A;&#x79D8;&#x5BC6;",
        "密\u200b级\u200b:\u200b\u3000机\u200b密",
        "&#12304;密级&#12305;&#32477;&#23494;",
        "密级\t\n秘密",
    ],
)
def test_separators_around_the_label_colon(text):
    _one_block(findings(f"{text}\n正文"), "classification")


def test_head_line_finding_keeps_location_and_context():
    finding = screen_text("000123\n秘\u3000密\n九江市人民政府文件", "附件“通知.docx”", BUILTIN)[0]
    assert finding.location == "附件“通知.docx”"
    assert finding.matched == "秘\u3000密"
    assert finding.before == "000123\n" and finding.after.startswith("\n九江市人民政府")


def test_a_level_word_in_a_longer_head_line_is_not_a_head_mark():
    assert blocks("秘密地\n正文") == []
    assert blocks("保守秘密\n正文") == []
    assert blocks("秘密的力量\n正文") == []


def test_statement_and_its_level_word_give_one_finding():
    # No separate 机密 warning or 绝密 block for the word inside the statement.
    assert [(f.kind, f.level) for f in findings("本文件属于绝密级材料，机密。")] == [
        ("classification", BLOCK),
        ("secrecy", WARN),
    ]


# ------------------------------------------------------------------ prose

PROSE = [
    "商业秘密",
    "保守国家秘密",
    "严禁泄露国家机密",
    "保密工作",
    "国家秘密的范围",
    "工作秘密",
    "个人隐私和商业秘密",
    "涉及国家秘密的信息不得上网",
    "《中华人民共和国保守国家秘密法》",
    "他秘密地离开了会场",
    "秘密地",
    "数据的完整性和机密性",
    "保障政务数据的机密性、完整性和可用性",
    "涉及国家秘密",
    "泄露国家秘密",
    "不得涉及国家秘密",
    "确认不涉及国家秘密、工作秘密、商业秘密和个人隐私，并对信息的真实性、准确性负责。",
    "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，不予公开。",
    "属于商业秘密或者公开可能导致商业秘密被泄露的，但权利人同意的除外；",
    "该信息属于国家秘密，不予公开。",
    "本文件不属于秘密文件。",
    "本文件是否属于秘密文件，由定密责任人确定。",
    "此类信息属于秘密事项的，不得公开。",
    "本人已对拟发布信息进行保密审查。",
    "严禁涉密信息上网，确保涉密信息不上网、上网信息不涉密。",
    "机关、单位应当加强对涉密人员的管理，密级和保密期限应当标注清楚。",
    "国家秘密的密级、保密期限和知悉范围，应当根据情况变化及时变更。",
    "这已经不是秘密了。",
    "揭开宇宙的秘密",
    "秘密投票",
    "机密性、完整性",
    "商业机密",
    "保护商业秘密和个人隐私",
    "第十五条 行政机关不得公开涉及国家秘密、商业秘密、个人隐私的政府信息。",
]

# How laws describe the levels: these name 绝密 too, which the built-in word
# list blocks on its own (as before); no statement rule may add to that.
LAW_PROSE = [
    "国家秘密的密级分为绝密、机密、秘密三级。",
    "绝密级国家秘密是最重要的国家秘密，泄露会使国家安全和利益遭受特别严重的损害；"
    "机密级国家秘密是重要的国家秘密；秘密级国家秘密是一般的国家秘密。",
    "国家秘密的保密期限，除另有规定外，绝密级不超过三十年，机密级不超过二十年，秘密级不超过十年。",
    "中央国家机关可以确定绝密级、机密级和秘密级国家秘密；设区的市级机关可以确定机密级和秘密级国家秘密。",
    "涉及绝密级或者较多机密级、秘密级国家秘密的人员，为核心涉密人员。",
    "涉密信息系统按照涉密程度分为绝密级、机密级和秘密级。",
    "存储、处理机密级以上国家秘密的设备",
]


@pytest.mark.parametrize("disguise", ["plain", "ascii space", "zero-width space", "decimal entities"])
@pytest.mark.parametrize("text", PROSE)
def test_prose_about_secrets_does_not_block(text, disguise):
    assert blocks(DISGUISES[disguise](text)) == []
    # Not even as the only line of a text.
    assert blocks(DISGUISES[disguise](f"{text}\n正文")) == []


@pytest.mark.parametrize("text", LAW_PROSE)
def test_laws_describing_the_levels_get_no_statement_block(text):
    assert statement_blocks(text) == []


@pytest.mark.parametrize("text", ["密级：非密", "密级：公开", "密级：无", "密级和保密期限"])
def test_unclassified_labels_are_not_flagged(text):
    assert blocks(text) == []


def test_offset_map_inverse():
    text = "甲 乙\u200b \u200b丙&#20869;丁\n戊"
    norm, offsets, source = normalise(text)
    for i in range(len(norm)):
        assert offsets.normalised_index(offsets[i]) == i
    # A deleted source character maps to the next kept one.
    assert offsets.normalised_index(source.index("\u200b")) == norm.index("丙")
    assert offsets.normalised_index(len(source)) == len(norm)


# ------------------------------------------------------------------ false positives on real texts


def _seed_text(name):
    import opencc

    # Both seeds are written in Taiwan-variant Traditional script.
    return opencc.OpenCC("tw2sp").convert((SEEDS / name).read_text(encoding="utf-8"))


def _tally(findings_):
    return {
        "block": sum(f.level == BLOCK and f.kind in SECRECY_KINDS for f in findings_),
        "warn": sum(f.level == WARN for f in findings_),
        "warnings": sorted({f.matched for f in findings_ if f.level == WARN}),
    }


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not present")


@needs_seeds
@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_regulations_whole_text(name):
    text = _seed_text(name)
    screen_text(text, name, BUILTIN)  # warm up
    started = time.perf_counter()
    found = screen_text(text, name, BUILTIN)
    elapsed = (time.perf_counter() - started) * 1000
    tally = _tally(found)
    print(
        f"\n{name}: {len(text)} chars, {elapsed:.2f} ms, blocks {tally['block']}, "
        f"warnings {tally['warn']} {tally['warnings']}"
    )
    # No block of any kind: classification, secrecy or personal numbers.
    assert not [f for f in found if f.level == BLOCK], [f.line() for f in found]


@needs_seeds
@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_regulations_as_imported(name):
    """The importer's own path: parse() converts and splits the file, each block
    becomes a page paragraph, and pages are screened paragraph by paragraph."""
    from sites.extraction import _html_paragraphs
    from sites.importing import parse

    parsed = parse(SEEDS / name)
    segments = [parsed.title]
    for kind, value in parsed.blocks:
        segments += _html_paragraphs(value) if kind == "paragraph" else [value]
    found = [f for segment in segments for f in screen_text(segment, "正文", BUILTIN)]
    tally = _tally(found)
    print(
        f"\n{name} as imported: {len(segments)} segments, {sum(map(len, segments))} chars, "
        f"blocks {tally['block']}, warnings {tally['warn']} {tally['warnings']}"
    )
    assert tally["block"] == 0, [f.line() for f in found if f.level == BLOCK]


def _demo_texts():
    from sitegroup.demo.content import BY_KIND
    from sitegroup.demo.loader import _fill
    from sitegroup.demo.sites_data import SITES

    for site in SITES:
        for entries in BY_KIND.values():
            for entry in entries:
                lines = [_fill(entry["title"], site)]
                if "number" in entry:
                    lines.append(_fill(entry["number"], site))
                lines += [_fill(line, site).removeprefix("## ") for line in entry["body"]]
                yield site, lines


def test_demo_articles():
    articles = segments = chars = blocked = 0
    warned_paragraphs = warned_whole = 0
    warnings = set()
    for _site, lines in _demo_texts():
        articles += 1
        segments += len(lines)
        # As pages are screened, one segment per paragraph ...
        for line in lines:
            found = screen_text(line, "正文", BUILTIN)
            blocked += sum(f.level == BLOCK for f in found)
            warned_paragraphs += sum(f.level == WARN for f in found)
            warnings |= {f.matched for f in found if f.level == WARN}
        # ... and as one text (head lines are those of the article).
        joined = "\n".join(lines)
        chars += len(joined)
        found = screen_text(joined, "正文", BUILTIN)
        blocked += sum(f.level == BLOCK for f in found)
        warned_whole += sum(f.level == WARN for f in found)
        assert not [f for f in found if f.level == BLOCK], [f.line() for f in found]
    print(
        f"\ndemo articles: {articles} (every article for every demo site), {segments} segments, "
        f"{chars} chars, blocks {blocked}, warnings {warned_paragraphs} by paragraph / "
        f"{warned_whole} as whole texts {sorted(warnings)}"
    )
    assert articles > 0 and blocked == 0
