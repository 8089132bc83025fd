"""The admin speaks Simplified Chinese: the project's catalog fills the strings
Wagtail's own zh_Hans catalog leaves in English, and stays compiled and safe."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from sitegroup.registry.roles import ensure_office_group
from tests.factories import make_user

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _unquote(block):
    text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def entries():
    for chunk in PO.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', chunk, re.M)
        if not msgid or not _unquote(msgid.group(1)):
            continue
        plural = re.search(r'^msgid_plural ((?:".*"\n?)+)', chunk, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', chunk, re.M)
        yield _unquote(msgid.group(1)), plural and _unquote(plural.group(1)), _unquote(msgstr.group(1))


def test_catalog_is_compiled_and_keeps_every_placeholder():
    items = list(entries())
    assert len(items) > 300
    with translation.override("zh-hans"):
        for msgid, plural, msgstr in items:
            assert msgstr, msgid
            shown = translation.ngettext(msgid, plural, 2) if plural else translation.gettext(msgid)
            assert shown == msgstr, f"django.mo is stale for {msgid!r}: run make messages"
            source = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(plural or ""))
            used = set(PLACEHOLDER.findall(msgstr))
            # A placeholder the source does not supply would crash the page that renders it.
            assert used <= source, msgid
            if not plural:
                assert used == source, msgid


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/"])
def test_admin_pages_have_no_untranslated_wagtail_strings(client, portal, path):
    client.force_login(make_user("office", groups=[ensure_office_group()]))
    html = client.get(path, follow=True).content.decode()
    for english in ("Search all pages", "editor guide", "Edit account avatar", "Exploring"):
        assert english not in html, english
    assert "九江市政府网站群" in html or path == "/admin/"  # the tree root, renamed from "Root"
    if path == "/admin/":
        assert "搜索所有页面" in html


def test_admin_javascript_catalog_includes_the_project_strings(client, portal):
    import json

    client.force_login(make_user("office", groups=[ensure_office_group()]))
    catalog = client.get("/admin/jsi18n/").content.decode()
    for text in ("（此菜单有 1 个新项目）", "插入内容块", "%(num)s 个错误"):
        assert text in catalog or json.dumps(text)[1:-1] in catalog, text


def test_no_avatar_request_leaves_the_server(client, county):
    """An external avatar service is unreachable in government networks (and
    would learn who signs in): every avatar is served by this server."""
    import re

    from tests.factories import make_user

    client.force_login(make_user("xs_editor", county, "editor"))
    html = client.get("/admin/").content.decode()
    sources = re.findall(r'"avatarUrl": "([^"]+)"', html) + re.findall(
        r'class="avatar[^"]*"\s*>\s*<img src="([^"]+)"', html
    )
    assert sources, "the admin shows the user's avatar"
    assert all(src.startswith("/") and not src.startswith("//") for src in sources), sources
    assert "gravatar" not in html
