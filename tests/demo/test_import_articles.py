import io

import docx
import pytest
from django.core.management import CommandError, call_command

from sites.importing import ImportFailed, find_column, import_file, parse
from sites.models import ArticlePage, ImportRecord
from tests.factories import column

TRADITIONAL = "九江市電子政務管理辦法\n第一章　總則\n第一條 為了加強我市電子政務的建設和管理，制定本辦法。\n第二條 本辦法自2008年3月1日起施行。\n"


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_traditional_text_becomes_simplified_with_structure(tmp_path):
    parsed = parse(write(tmp_path, "reg.txt", TRADITIONAL))
    assert parsed.title == "九江市电子政务管理办法"
    assert parsed.blocks[0] == ("heading", "第一章 总则")
    assert parsed.blocks[1][1].startswith("<p><strong>第一条</strong>")
    assert "为了加强我市电子政务的建设和管理" in parsed.blocks[1][1]
    assert parsed.date.isoformat() == "2008-03-01"


def test_gb18030_text_is_decoded(tmp_path):
    parsed = parse(write(tmp_path, "gbk.txt", "关于值班读网的通知\n请各单位做好值班。".encode("gb18030")))
    assert parsed.title == "关于值班读网的通知"


def test_hostile_html_is_reduced_to_text(tmp_path):
    html = (
        "<html><head><title>通知公告</title><script>alert(1)</script></head><body>"
        "<p onclick='steal()'>第一段<img src=x onerror=alert(1)></p>"
        "<p><a href='javascript:alert(1)'>链接文字</a></p><svg><script>x()</script></svg>"
        "<iframe src='http://evil'></iframe><p style='x:expression(alert(1))'>第三段</p></body></html>"
    )
    parsed = parse(write(tmp_path, "n.html", html))
    rendered = " ".join(value for _, value in parsed.blocks)
    assert parsed.title == "通知公告"
    assert "第一段" in rendered and "链接文字" in rendered and "第三段" in rendered
    for bad in ("script", "onerror", "onclick", "javascript:", "iframe", "expression", "<img", "<a"):
        assert bad not in rendered


def test_docx_paragraphs_and_tables(tmp_path):
    document = docx.Document()
    document.add_paragraph("关于公布权责清单的通知")
    document.add_paragraph("第一條 現予公布。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "事项"
    table.rows[0].cells[1].text = "行政許可"
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse(write(tmp_path, "a.docx", buffer.getvalue()))
    rendered = " ".join(value for _, value in parsed.blocks)
    assert parsed.title == "关于公布权责清单的通知"
    assert "<strong>第一条</strong>" in rendered and "现予公布" in rendered
    assert "行政许可" in rendered


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", "不是有效的 .docx"),
        ("empty.txt", b"", "文件为空"),
        ("blank.txt", b"   \n\n  ", "没有可导入的文字"),
        ("virus.exe", b"MZ", "不支持的文件类型"),
        ("bad.txt", b"\xff\xfe\x00\xd8\x00\xdc" * 3 + b"\x80\x81\xfe", "编码"),
    ],
)
def test_bad_files_give_clear_errors(tmp_path, name, content, message):
    with pytest.raises(ImportFailed, match=message):
        parse(write(tmp_path, name, content))


def test_import_is_idempotent_and_updates_changed_files(tmp_path, portal):
    policies = column(portal, "zcwj")
    path = write(tmp_path, "reg.txt", TRADITIONAL)
    first = import_file(path, policies)
    assert first.status == "created" and first.page.live
    assert import_file(path, policies).status == "unchanged"
    assert ArticlePage.objects.child_of(policies).count() == 1
    path.write_text(TRADITIONAL + "第三條 新增條款。\n")
    updated = import_file(path, policies)
    assert updated.status == "updated"
    assert ArticlePage.objects.child_of(policies).count() == 1
    page = ArticlePage.objects.get(pk=first.page.pk)
    assert "新增条款" in str(page.body)


def test_command_reports_failures_without_stopping(tmp_path, portal, capsys):
    good = write(tmp_path, "good.txt", "关于网站备案的通知\n请按时备案。")
    bad = write(tmp_path, "bad.docx", b"garbage")
    with pytest.raises(CommandError, match="1 个文件导入失败"):
        call_command("import_articles", str(good), str(bad), "--site", "jiujiang", "--column", "tzgg", "--draft")
    out = capsys.readouterr()
    assert "新建" in out.out and "不是有效的 .docx" in out.err
    page = ArticlePage.objects.get(title="关于网站备案的通知")
    assert not page.live
    assert ImportRecord.objects.count() == 1


def test_command_rejects_unknown_site_and_column(tmp_path, portal):
    path = write(tmp_path, "a.txt", "标题\n内容")
    with pytest.raises(CommandError, match="站点代码“nowhere”不存在"):
        call_command("import_articles", str(path), "--site", "nowhere", "--column", "tzgg")
    with pytest.raises(CommandError, match="没有栏目“nope”"):
        call_command("import_articles", str(path), "--site", "jiujiang", "--column", "nope")
    with pytest.raises(ImportFailed):
        find_column("jiujiang", "nope")
