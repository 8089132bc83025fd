"""The S3 target (django-storages) against moto's standalone S3 server, over HTTP."""

import socket

import boto3
import pytest

from sitegroup.publishing import services, targets
from sitegroup.publishing.models import PublishedFile
from tests.factories import make_article

from .helpers import HOST

BUCKET = "sitegroup-public"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_url():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_url, settings, tmp_path):
    client = boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=BUCKET)
    settings.STATIC_PUBLISH_ENABLED = True
    settings.STATIC_PUBLISH_TARGETS = {
        "local": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                  "OPTIONS": {"location": str(tmp_path / "local")}},
        "cdn": {"BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_url, "access_key": "test",
                            "secret_key": "test", "region_name": "us-east-1", "file_overwrite": True,
                            "querystring_auth": False}},
    }
    yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client):
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    return {obj["Key"] for page in pages for obj in page.get("Contents", [])}


def body(client, key):
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_the_bucket_receives_the_tree_and_every_change(bucket, pubsite, news):
    article = make_article(news, "第一篇", slug="a1")
    services.publish_all()
    key = f"{HOST}/ywdt/a1/index.html"
    stored = keys(bucket)
    assert {key, f"{HOST}/index.html", "_shared/static/themes/base.css"} <= stored
    assert stored == set(PublishedFile.objects.filter(target="cdn").values_list("key", flat=True))
    local = targets.storage("local")
    assert body(bucket, key) == targets.read(local, key)

    article.title = "第一篇（更正）"
    article.save_revision().publish()
    services.drain()
    assert "第一篇（更正）" in body(bucket, key).decode()

    article.unpublish()
    services.drain()
    assert key not in keys(bucket)
    assert "第一篇" not in body(bucket, f"{HOST}/ywdt/index.html").decode()


def test_tampering_in_the_bucket_is_found_and_undone(bucket, pubsite, news):
    make_article(news, "第一篇", slug="a1")
    services.publish_all()
    page, home, planted = f"{HOST}/ywdt/a1/index.html", f"{HOST}/index.html", f"{HOST}/hacked.html"
    original = body(bucket, page)
    bucket.put_object(Bucket=BUCKET, Key=page, Body=b"<h1>defaced</h1>")
    bucket.delete_object(Bucket=BUCKET, Key=home)
    bucket.put_object(Bucket=BUCKET, Key=planted, Body=b"spam")

    report = services.check_and_restore()
    found = {(f.target, f.key, f.problem) for f in report.findings}
    assert found == {("cdn", page, "altered"), ("cdn", home, "missing"), ("cdn", planted, "added")}
    assert body(bucket, page) == original
    assert home in keys(bucket) and planted not in keys(bucket)
    assert services.check_and_restore().findings == []
