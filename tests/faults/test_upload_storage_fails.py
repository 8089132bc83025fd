"""Fault: the disk is full, or not writable, when an upload is saved.

The citizen (政民互动 message, 依申请公开 application) or the handler gets a clear
Chinese message, and nothing is half-stored: no row, no partial file, no file
of an earlier attachment of the same submission.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sites.disclosure.models import Application, ApplicationFile
from sites.interaction.models import Message, MessageAttachment, MessageEvent
from tests.disclosure.conftest import apply
from tests.factories import png_bytes
from tests.interaction.conftest import make_channel, post_message

from .storages import DISK_FULL, PERMISSION_DENIED, FaultInjection

pytestmark = pytest.mark.django_db
FAULTS = pytest.mark.parametrize("error", [DISK_FULL, PERMISSION_DENIED], ids=["disk-full", "permission-denied"])
LEAKS = ("Traceback", "Errno", "No space left", "Permission denied", "OSError", "/")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.faults.storages.FaultyStorage"}}
    FaultInjection.reset()
    yield settings.MEDIA_ROOT
    FaultInjection.reset()


def files_in(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def pdf(name="证明.pdf", size=5000):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * size, content_type="application/pdf")


def assert_clear_message(response, name):
    html = response.content.decode()
    assert response.status_code == 400
    assert f"附件“{name}”未能保存" in html and "服务器存储空间不足或暂时无法写入" in html
    assert "本次提交没有保存" in html
    errors = html.split('class="form-errors"', 1)[1].split("</div>", 1)[0]
    assert not any(leak in errors.replace("</p>", "") for leak in LEAKS), errors
    return html


@FAULTS
def test_message_attachment_on_a_failing_disk(client, county, media, error):
    channel = make_channel(county)
    FaultInjection.reset(error)
    response = post_message(client, channel, files=[pdf()], content="小区门口路灯已损坏两周，夜间出行不便，请尽快修复。")
    html = assert_clear_message(response, "证明.pdf")
    assert "小区门口路灯已损坏两周" in html  # what the citizen wrote is kept in the form
    assert not Message.objects.exists() and not MessageAttachment.objects.exists()
    assert not MessageEvent.objects.exists()
    assert files_in(media) == []  # not even the part written before the disk filled up

    # Room again: the same message goes through (it is not refused as a repeat).
    FaultInjection.reset()
    response = post_message(client, channel, files=[pdf()], content="小区门口路灯已损坏两周，夜间出行不便，请尽快修复。")
    assert response.status_code == 200, response.content.decode()[-2000:]
    attachment = Message.objects.get().attachments.get()
    assert files_in(media) == [attachment.file.name]
    assert (media / attachment.file.name).stat().st_size == attachment.size


def test_earlier_attachments_of_a_failed_message_are_not_left_behind(client, county, media):
    channel = make_channel(county)
    FaultInjection.reset(DISK_FULL, fail_from=3)
    response = post_message(client, channel, files=[pdf("一.pdf"), pdf("二.pdf"), pdf("三.pdf")])
    assert_clear_message(response, "三.pdf")
    assert FaultInjection.saves == 3  # two files were stored before the third failed
    assert not Message.objects.exists() and not MessageAttachment.objects.exists()
    assert files_in(media) == []


@FAULTS
def test_disclosure_application_on_a_failing_disk(client, county, media, error):
    FaultInjection.reset(error, fail_from=2)
    photo = SimpleUploadedFile("身份证.png", png_bytes(size=(300, 300)), content_type="image/png")
    response = apply(client, county, files=[pdf("营业执照.pdf"), photo])
    html = assert_clear_message(response, "身份证.png")
    assert "申请公开2025年修水县城区道路改造项目的立项批复文件" in html
    assert not Application.objects.exists() and not ApplicationFile.objects.exists()
    assert files_in(media) == []

    FaultInjection.reset()
    photo.seek(0)
    response = apply(client, county, files=[pdf("营业执照.pdf"), photo])
    assert response.status_code == 200
    stored = sorted(f.file.name for f in Application.objects.get().files.all())
    assert files_in(media) == stored and len(stored) == 2


# --- an editor's document upload in the admin ----------------------------------------
# Wagtail stores the file itself, outside the public forms: the cleaning storage and the
# middleware of sites/ do the work there. They are applied here as proposed for the
# project settings (see test_project_settings_use_them).

PROPOSED_STORAGE = "sites.storage.FileSystemStorage"
PROPOSED_MIDDLEWARE = "sites.upload_errors.StorageErrorMiddleware"


@pytest.fixture
def admin_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.faults.storages.FaultyProjectStorage"}}
    if PROPOSED_MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, PROPOSED_MIDDLEWARE]
    FaultInjection.reset()
    yield settings.MEDIA_ROOT
    FaultInjection.reset()


@FAULTS
@pytest.mark.django_db(transaction=True)  # as in production: the failed save is in no test transaction
def test_document_upload_in_the_admin_on_a_failing_disk(admin_media, error):
    from django.test import Client
    from django.urls import reverse
    from wagtail.documents import get_document_model

    from sites.upload_errors import ADMIN_MESSAGE
    from tests.factories import ensure_wagtail_tree, make_site, make_user

    ensure_wagtail_tree()  # earlier transactional tests flush migration data
    county = make_site("county")
    editor = Client(raise_request_exception=False)
    editor.force_login(make_user("xs_editor", county, "editor"))
    content = b"%PDF-1.4\n%test\n" + b"0" * 5000
    FaultInjection.reset(error)

    # “添加文档”: Wagtail's multiple upload page posts each file with XMLHttpRequest and shows
    # the answer's error_message beside the file.
    response = editor.post(
        reverse("wagtaildocs:add_multiple"),
        {"collection": county.collection.pk, "files[]": SimpleUploadedFile("2026年工作要点.pdf", content)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    assert response.json() == {"success": False, "error_message": ADMIN_MESSAGE}
    assert "存储空间不足" in ADMIN_MESSAGE
    assert not get_document_model().objects.exists() and files_in(admin_media) == []

    # The single-document form.
    response = editor.post(reverse("wagtaildocs:add"), {
        "title": "2026年工作要点", "collection": county.collection.pk,
        "file": SimpleUploadedFile("2026年工作要点.pdf", content),
    })
    html = response.content.decode()
    assert response.status_code == 503 and '<html lang="zh-CN">' in html and ADMIN_MESSAGE in html
    assert not any(leak in html for leak in LEAKS[:5]), html
    assert not get_document_model().objects.exists() and files_in(admin_media) == []

    FaultInjection.reset()
    response = editor.post(
        reverse("wagtaildocs:add_multiple"),
        {"collection": county.collection.pk, "files[]": SimpleUploadedFile("2026年工作要点.pdf", content)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.json()["success"] is True
    document = get_document_model().objects.get()
    assert files_in(admin_media) == [document.file.name]
    assert (admin_media / document.file.name).stat().st_size == len(content)


def test_project_settings_use_them():
    from django.conf import settings

    from sitegroup.settings import base

    for configured in (base, settings):
        assert configured.STORAGES["default"]["BACKEND"] == PROPOSED_STORAGE
        assert PROPOSED_MIDDLEWARE in configured.MIDDLEWARE
