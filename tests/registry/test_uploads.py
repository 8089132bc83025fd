"""Bad uploads are refused with a clear Chinese message and leave nothing behind."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.factories import make_user, png_bytes


@pytest.fixture
def editor_client(client, county):
    client.force_login(make_user("xs_editor", county, "editor"))
    return client


def upload_image(client, county, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "测试图片", "collection": county.collection.pk,
         "file": SimpleUploadedFile(name, content, content_type="image/png")},
    )


def assert_refused(response, *fragments):
    assert response.status_code == 200  # the form again, with its errors
    text = response.content.decode()
    import re

    errors = " ".join(m.strip() for m in re.findall(r'<p class="error-message">(.*?)</p>', text, re.S))
    assert errors, "no field error shown"
    assert any(fragment in errors for fragment in fragments), errors


def test_valid_image_upload_works(editor_client, county):
    response = upload_image(editor_client, county, "ok.png", png_bytes())
    assert response.status_code == 302
    assert get_image_model().objects.filter(collection=county.collection).count() == 1


def test_not_an_image(editor_client, county):
    response = upload_image(editor_client, county, "fake.png", b"<?php system($_GET['c']); ?>")
    assert_refused(response, "不是图片或者是已损坏的图片")
    assert not get_image_model().objects.exists()


def test_decompression_bomb(editor_client, county):
    buffer = io.BytesIO()
    PILImage.new("1", (8000, 6000)).save(buffer, "PNG")  # 48 MP in a few KB
    response = upload_image(editor_client, county, "bomb.png", buffer.getvalue())
    assert_refused(response, "像素")
    assert not get_image_model().objects.exists()


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=50 * 1024)
def test_oversized_image(editor_client, county):
    buffer = io.BytesIO()
    PILImage.effect_noise((400, 400), 100).convert("RGB").save(buffer, "PNG")
    assert buffer.tell() > 50 * 1024
    response = upload_image(editor_client, county, "big.png", buffer.getvalue())
    assert_refused(response, "文件过大", "太大", "超过")
    assert not get_image_model().objects.exists()


def test_wrong_document_extension_refused(editor_client, county):
    response = editor_client.post(
        reverse("wagtaildocs:add"),
        {"title": "脚本", "collection": county.collection.pk,
         "file": SimpleUploadedFile("evil.exe", b"MZ....", content_type="application/octet-stream")},
    )
    assert_refused(response, "不被允许")
    assert not get_document_model().objects.exists()


def test_upload_into_another_sites_collection_refused(client, county, department):
    client.force_login(make_user("xs_editor", county, "editor"))
    response = upload_image(client, department, "ok.png", png_bytes())
    assert not get_image_model().objects.filter(collection=department.collection).exists()
    assert response.status_code in (200, 302, 403)
