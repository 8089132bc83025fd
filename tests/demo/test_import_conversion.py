"""Importing the real seed regulations: Taiwan-variant wording becomes mainland
Chinese, each regulation keeps its own issuer, and the result is searchable."""

from pathlib import Path

import pytest
from django.core.management import call_command

from sites import importing
from sites.importing import detect_script, import_file, parse, to_mainland
from sites.models import ArticlePage
from tests.factories import column

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
TIANJIN = ("tianjin-egov-measures-2004.txt", "天津市电子政务管理办法")
JIUJIANG = ("jiujiang-egov-measures.txt", "九江市电子政务管理办法")
TAIWAN_WORDS = ("软体", "网路", "位址", "資料庫", "軟體", "網路", "资料库", "最佳化", "套用", "视窗")
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")


def text_of(page):
    page = ArticlePage.objects.get(pk=page.pk)
    return page.title + "\n" + str(page.body)


def import_seed(policies, seed, **options):
    filename, title = seed
    # The call sitegroup/demo/loader.py::import_seeds makes (options may drop source).
    options.setdefault("source_key", f"seeds/{filename}")
    result = import_file(SEEDS / filename, policies, title=title, **options)
    assert result.status in ("created", "updated"), result.message
    return result


@pytest.fixture
def seeds(portal):
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    policies = column(portal, "zcwj")
    return {
        "tianjin": import_seed(policies, TIANJIN, source="九江市人民政府"),
        "jiujiang": import_seed(policies, JIUJIANG, source="九江市人民政府"),
    }


def test_seeds_read_as_mainland_chinese(seeds):
    tianjin, jiujiang = text_of(seeds["tianjin"].page), text_of(seeds["jiujiang"].page)
    for word in ("软件", "网络", "数据库", "门户网站", "局域网", "优化", "应用系统", "窗口"):
        assert word in tianjin + jiujiang, word
    for word in ("软件", "网络", "数据库"):
        assert word in tianjin, word
    assert "IP地址" in jiujiang
    for text in (tianjin, jiujiang):
        for word in TAIWAN_WORDS:
            assert word not in text, word
        # tw2sp's software vocabulary must not leak into the regulations.
        for word in ("创建", "进程", "文档", "交互", "查找", "性能"):
            assert word not in text, word
    assert "建立领导责任制" in tianjin and "参照本办法执行" in tianjin and "提供查询指引" in tianjin
    assert "提高机关效能" in jiujiang and "网络资源的整合" in jiujiang and "增进互动交流" in jiujiang
    assert "<strong>第二十七条</strong>" in jiujiang


def test_each_regulation_keeps_its_own_issuer(seeds):
    assert ArticlePage.objects.get(pk=seeds["tianjin"].page.pk).source == "天津市人民政府"
    assert ArticlePage.objects.get(pk=seeds["jiujiang"].page.pk).source == "九江市人民政府"
    # The loader's blanket source was overridden, and the result says so.
    assert any("天津市人民政府" in note and "九江市人民政府" in note for note in seeds["tianjin"].notes)
    assert seeds["jiujiang"].notes == []


@needs_seeds
def test_issuer_is_detected_without_a_source(portal):
    policies = column(portal, "zcwj")
    tianjin = import_seed(policies, TIANJIN)
    jiujiang = import_seed(policies, JIUJIANG)
    assert tianjin.page.source == "天津市人民政府" and tianjin.notes == []
    assert jiujiang.page.source == "九江市人民政府"
    assert any("按标题推定" in note for note in jiujiang.notes)
    parsed = parse(SEEDS / TIANJIN[0])
    assert (parsed.issuer, parsed.issuer_basis, parsed.script) == ("天津市人民政府", "stated", "traditional")


def test_search_finds_the_tianjin_regulation(client, seeds):
    for word in ("软件", "网络", "数据库", "軟體", "網路", "資料庫"):
        response = client.get("/search/", {"q": word}, HTTP_HOST="jiujiang.localhost")
        titles = [item["hit"].title for item in response.context["hits"]]
        assert "天津市电子政务管理办法" in titles, word
    response = client.get("/search/", {"q": "地址"}, HTTP_HOST="jiujiang.localhost")
    assert "九江市电子政务管理办法" in [item["hit"].title for item in response.context["hits"]]


def test_issuer_option_unknown_issuer_and_force(tmp_path, portal, capsys):
    policies = column(portal, "zcwj")
    notice = tmp_path / "notice.txt"
    notice.write_text("關於網站備案的通知\n請各單位按時備案。\n")
    result = import_file(notice, policies)
    assert result.page.source == "" and any("未能从文件中识别发布机关" in note for note in result.notes)
    assert result.page.title == "关于网站备案的通知"

    decree = tmp_path / "decree.txt"
    decree.write_text("天津市人民政府令\n第16号\n第一條 本辦法自2004年8月1日起施行。\n")
    given = import_file(decree, policies, issuer="天津市人民政府办公厅")
    assert given.page.source == "天津市人民政府办公厅"
    assert any("天津市人民政府" in note for note in given.notes)
    assert import_file(decree, policies).status == "unchanged"
    again = import_file(decree, policies, force=True)
    assert again.status == "updated" and again.page.source == "天津市人民政府"

    call_command("import_articles", str(notice), "--site", "jiujiang", "--column", "zcwj",
                 "--issuer", "九江市人民政府办公室", "--force")
    assert ArticlePage.objects.get(pk=result.page.pk).source == "九江市人民政府办公室"
    notice.write_text("關於網站備案的通知\n請各單位按時備案。\n另行通知。\n")
    call_command("import_articles", str(notice), "--site", "jiujiang", "--column", "zcwj")
    out = capsys.readouterr().out
    assert "未能从文件中识别发布机关" in out
    assert ArticlePage.objects.get(pk=result.page.pk).source == "九江市人民政府办公室"  # kept, not blanked


def test_simplified_text_is_left_alone():
    # Each of these is correct mainland Chinese that tw2sp would rewrite
    # (显著→显着, 建立→创建, 程序→进程, 文件→文档, 套用→应用, 使用者→用户 ...).
    text = "成效显著，建立健全法定程序，印发文件，不得简单套用，土地使用者，智慧城市，考核指标，可复制可推广"
    assert detect_script(text) == "simplified"
    assert to_mainland(text) == text
    assert to_mainland("") == ""
    # A simplified document with a stray traditional name is converted character by character only.
    assert to_mainland("关于做好网站建设的通知，联系人：陳明，不得简单套用模板，建立工作台账") == (
        "关于做好网站建设的通知，联系人：陈明，不得简单套用模板，建立工作台账"
    )


def test_traditional_text_is_converted_phrase_by_phrase():
    assert to_mainland("政府部門不得使用盜版軟體") == "政府部门不得使用盗版软件"
    assert to_mainland("電子政務網路的IP位址") == "电子政务网络的IP地址"
    assert to_mainland("建立業務信息資料庫，最佳化業務流程") == "建立业务信息数据库，优化业务流程"
    # Government words stay themselves; their software compounds still convert.
    assert to_mainland("依照法定程序執行，執行緒") == "依照法定程序执行，线程"
    assert to_mainland("政務區域網路與入口網站") == "政务局域网与门户网站"


def test_converters_are_built_once():
    assert importing._converter("tw2sp") is importing._converter("tw2sp")
    assert importing._converter("tw2sp").convert("軟體") == "软件"
