"""One revision's attachments are parsed once, however often its screening is asked for."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Page

import sites.extraction
from review.models import Term, WordList
from tests.factories import make_document
from tests.review.conftest import act
from tests.review.files import docx_bytes
from tests.review.test_media_release import submit_as_is


@pytest.fixture
def extractions(monkeypatch):
    calls = []
    real = sites.extraction.extract_file_text

    def counting(source, filename):
        calls.append(filename)
        return real(source, filename)

    monkeypatch.setattr(sites.extraction, "extract_file_text", counting)
    return calls


def test_submit_modal_approve_and_findings_parse_each_attachment_once(client, county, draft, people, extractions):
    document = make_document(county.collection, "通知附件", docx_bytes("请注意保密有关材料。"), "notice.docx")
    draft = type(draft).objects.get(pk=draft.pk)
    draft.attachments.create(document=document)
    draft.save_revision(user=people["editor"])
    submit_as_is(draft, people["editor"])
    page = Page.objects.get(pk=draft.pk).specific

    client.force_login(people["reviewer"])
    state = page.current_workflow_task_state
    modal = client.get(reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]))
    assert "自动审查结果" in json.loads(modal.content)["html"]
    act(client, people["reviewer"], page)
    findings_url = f"/admin/review/findings/{page.pk}/"
    client.force_login(people["reviewer2"])
    assert "<mark>注意保密</mark>" in client.get(findings_url).content.decode()
    act(client, people["reviewer2"], page)  # refused: the warning is not acknowledged
    client.get(findings_url)
    assert extractions == ["notice.docx"], extractions

    # A changed word list is a new dictionary version: screened again, once.
    words = WordList.objects.create(name="新增词库")
    Term.objects.create(word_list=words, word="有关材料", level="block")
    client.get(findings_url), client.get(findings_url)
    assert extractions == ["notice.docx", "notice.docx"], extractions


def test_a_replaced_attachment_is_screened_again(client, county, draft, people, extractions):
    from django.core.files.base import ContentFile

    from review.services import screen_revision

    document = make_document(county.collection, "附件", docx_bytes("普通内容。"), "a.docx")
    draft = type(draft).objects.get(pk=draft.pk)
    draft.attachments.create(document=document)
    revision = draft.save_revision(user=people["editor"])
    assert screen_revision(revision) == [] and screen_revision(revision) == []
    document.file.save("a.docx", ContentFile(docx_bytes("本文件为内部资料。")), save=False)
    document.save()
    assert any(f.matched == "内部资料" for f in screen_revision(revision))
    assert len(extractions) == 2, extractions
