import io

import pytest
from django.core.management import call_command

from sites.extraction import ExtractionError, extract_file_text, page_text_segments
from tests.factories import column, make_article, make_document
from tests.review.files import docx_bytes, encrypted_pdf_bytes, pdf_bytes, xlsx_bytes, zip_bomb_docx


def test_reads_docx_xlsx_pdf():
    assert "表格内容" in extract_file_text(io.BytesIO(docx_bytes("正文", table=[["表格内容", "x"]])), "a.docx")
    assert "单元格" in extract_file_text(io.BytesIO(xlsx_bytes([["单元格", 1]])), "a.xlsx")
    assert "11010519491231002X" in extract_file_text(io.BytesIO(pdf_bytes()), "a.pdf")


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("broken.docx", b"PK\x03\x04garbage", "已损坏"),
        ("locked.pdf", None, "已加密"),
        ("broken.pdf", b"%PDF-1.4 nonsense", "已损坏"),
        ("bomb.docx", None, "压缩炸弹"),
        ("empty.xlsx", b"", "文件为空"),
        ("app.exe", b"MZ", "不支持"),
    ],
)
def test_unreadable_files_raise_clear_errors(name, data, message):
    if name == "locked.pdf":
        data = encrypted_pdf_bytes()
    if name == "bomb.docx":
        data = zip_bomb_docx()
    with pytest.raises(ExtractionError, match=message):
        extract_file_text(io.BytesIO(data), name)


def test_page_segments_cover_fields_blocks_and_attachments(county):
    article = make_article(column(county, "ywdt"), "标题文字", body="第一段", subtitle="副标题文字")
    article.attachments.create(
        document=make_document(county.collection, "附件标题", docx_bytes("附件里的机密★1年"), "x.docx")
    )
    segments = {s.location: s.text for s in page_text_segments(article)}
    assert segments["标题"] == "标题文字" and segments["副标题"] == "副标题文字"
    assert segments["正文第1段"] == "第一段"
    assert any("附件里的机密★1年" in text for loc, text in segments.items() if loc.startswith("附件“x"))


class Result:
    def __init__(self, returncode, stdout):
        self.returncode, self.stdout, self.stderr = returncode, stdout, ""


def run_screen(*paths):
    out = io.StringIO()
    try:
        call_command("screen", *map(str, paths), stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return Result(code, out.getvalue())


@pytest.fixture
def files(tmp_path):
    paths = {
        "clean": tmp_path / "clean.txt",
        "word": tmp_path / "名单.docx",
        "sheet": tmp_path / "表.xlsx",
        "pdf": tmp_path / "扫描.pdf",
        "locked": tmp_path / "加密.pdf",
    }
    paths["clean"].write_text("关于做好值班读网工作的通知。", encoding="utf-8")
    paths["word"].write_bytes(docx_bytes("联系人身份证 11010519491231002X"))
    paths["sheet"].write_bytes(xlsx_bytes([["备注", "内部资料"]]))
    paths["pdf"].write_bytes(pdf_bytes("Tel 13800138000"))
    paths["locked"].write_bytes(encrypted_pdf_bytes())
    return paths


def test_screen_command_exit_codes_and_lines(db, files):
    clean = run_screen(files["clean"])
    assert clean.returncode == 0, clean.stderr
    assert "阻断 0 项" in clean.stdout

    result = run_screen(files["word"], files["sheet"], files["pdf"], files["locked"])
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "身份证号：110***********002X（名单.docx）" in out
    assert "涉密用语：内部资料（表.xlsx）" in out
    assert "手机号码：138****8000（扫描.pdf）" in out
    assert "无法审查" in out and "已加密" in out
    assert "11010519491231002X" not in out and "13800138000" not in out
