"""Fault: the database connection drops in the middle of a request.

On PostgreSQL the server really ends the request's connection
(``pg_terminate_backend`` from another connection), after the message or
application, its attachment and its event rows were written and before the
transaction commits. On SQLite, which has no server, every statement fails from
that moment until the transaction has been rolled back.

The visitor gets the Chinese error page (no traceback, nothing of the error), and
nothing half-written is left: no rows, no attachment file on disk.
"""

import contextlib
import time

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client

from sites.disclosure import services as disclosure
from sites.disclosure.models import Application, ApplicationEvent, ApplicationFile
from sites.interaction import services as interaction
from sites.interaction import throttle
from sites.interaction.models import Message, MessageAttachment, MessageEvent
from tests.disclosure.conftest import form_data
from tests.factories import ensure_wagtail_tree, make_site
from tests.interaction.conftest import host_of, make_channel, message_data

pytestmark = pytest.mark.django_db(transaction=True)
LEAKS = ("Traceback", "OperationalError", "terminating connection", "server closed", "INSERT", "psycopg",
         "sqlite", "File \"")
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK")


def _server_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None, port=settings["PORT"] or None, autocommit=True,
    )


class Drop:
    """Drops the request's database connection at a chosen moment."""

    def __init__(self):
        self.dropped = False
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if self.dropped and not sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    def now(self):
        self.count += 1
        if connection.vendor == "postgresql":
            pid = connection.connection.info.backend_pid
            with _server_connection() as other:
                assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
                for _ in range(100):
                    if not other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                        break
                    time.sleep(0.02)
        else:
            self.dropped = True

    @contextlib.contextmanager
    def during(self, monkeypatch, service_module, name):
        """Drop in the middle of ``service_module.name``: when it spends the quota,
        its last write. The connection works again once the service is over, as
        after a network blip (Django reconnects on the next query)."""
        spend, service = throttle.spend_quota, getattr(service_module, name)

        def spend_after_drop(*args, **kwargs):
            self.now()
            return spend(*args, **kwargs)

        def service_then_restore(*args, **kwargs):
            try:
                return service(*args, **kwargs)
            finally:
                self.dropped = False

        monkeypatch.setattr(throttle, "spend_quota", spend_after_drop)
        monkeypatch.setattr(service_module, name, service_then_restore)
        with connection.execute_wrapper(self):
            yield self
        monkeypatch.undo()
        connection.close()  # a dropped connection is not reused by the test either


@pytest.fixture
def county(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_wagtail_tree()  # earlier transactional tests flush migration data
    return make_site("county")


def files_in(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def pdf(name="证明.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 2000, content_type="application/pdf")


def assert_error_page(response):
    html = response.content.decode()
    assert response.status_code in (500, 503)
    assert '<html lang="zh-CN">' in html and "服务暂时不可用" in html
    assert not any(leak in html for leak in LEAKS), html


def test_message_submission_interrupted_by_a_dropped_connection(county, settings, monkeypatch):
    channel = make_channel(county)
    browser = Client(raise_request_exception=False)
    data = {**message_data(browser, channel), "attachments": [pdf()]}

    with Drop().during(monkeypatch, interaction, "submit") as drop:
        response = browser.post(channel.url + "write/", data, HTTP_HOST=host_of(channel), REMOTE_ADDR="10.0.0.9")
    assert drop.count == 1  # the message, its attachment and its event were written when it dropped
    assert_error_page(response)
    assert not Message.objects.exists() and not MessageAttachment.objects.exists()
    assert not MessageEvent.objects.exists()
    assert files_in(settings.MEDIA_ROOT) == []

    # Once the database answers again the citizen sends the same message (no "repeat" refusal).
    data = {**message_data(browser, channel), "attachments": [pdf()]}
    response = browser.post(channel.url + "write/", data, HTTP_HOST=host_of(channel), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    message = Message.objects.get()
    assert message.events.count() == 1 and files_in(settings.MEDIA_ROOT) == [message.attachments.get().file.name]


def test_disclosure_application_interrupted_by_a_dropped_connection(county, settings, monkeypatch):
    browser = Client(raise_request_exception=False)
    host = county.site.hostname
    data = {**form_data(browser, host), "attachments": [pdf("委托书.pdf")]}

    with Drop().during(monkeypatch, disclosure, "apply") as drop:
        response = browser.post("/ysqgk/", data, HTTP_HOST=host, REMOTE_ADDR="10.7.0.1")
    assert drop.count == 1
    assert_error_page(response)
    assert not Application.objects.exists() and not ApplicationFile.objects.exists()
    assert not ApplicationEvent.objects.exists()
    assert files_in(settings.MEDIA_ROOT) == []

    data = {**form_data(browser, host), "attachments": [pdf("委托书.pdf")]}
    response = browser.post("/ysqgk/", data, HTTP_HOST=host, REMOTE_ADDR="10.7.0.1")
    assert response.status_code == 200
    assert Application.objects.get().files.count() == 1 and len(files_in(settings.MEDIA_ROOT)) == 1


@contextlib.contextmanager
def database_unreachable():
    """Every connection attempt (PostgreSQL: a closed port) or statement (SQLite) fails."""
    if connection.vendor == "postgresql":
        port = connection.settings_dict["PORT"]
        connection.close()
        connection.settings_dict["PORT"] = 1  # nothing listens there
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["PORT"] = port
    else:
        drop = Drop()
        drop.dropped = True
        with connection.execute_wrapper(drop):
            yield


def test_pages_while_the_database_is_unreachable(county):
    browser = Client(raise_request_exception=False)
    assert browser.get("/ysqgk/", HTTP_HOST=county.site.hostname).status_code == 200
    with database_unreachable():
        for path in ("/", "/ywdt/", "/ysqgk/", "/search/?q=防汛"):
            assert_error_page(browser.get(path, HTTP_HOST=county.site.hostname))
    assert browser.get("/ysqgk/", HTTP_HOST=county.site.hostname).status_code == 200
