import re

import pytest
from captcha.models import CaptchaStore

from sites.interaction.kinds import ChannelKind
from sites.interaction.models import InteractionChannelPage
from tests.factories import column


def make_channel(profile, kind=ChannelKind.LETTER, title="县长信箱", slug="xzxx", **fields):
    channel = InteractionChannelPage(title=title, slug=slug, kind=kind, live=False, **fields)
    column(profile, "hdjl").add_child(instance=channel)
    channel.save_revision().publish()
    channel.refresh_from_db()
    return channel


@pytest.fixture
def channel(county):
    return make_channel(county)


def host(profile):
    return profile.site.hostname


def solve(client, channel, path="write/"):
    """Load the form as a browser would and read the challenge's answer from the store."""
    response = client.get(channel.url + path, HTTP_HOST=host_of(channel))
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', response.content.decode()).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def host_of(page):
    return page.get_site().hostname


def message_data(client, channel, **overrides):
    key, answer = solve(client, channel)
    data = {
        "category": channel.category_list[0], "title": "小区门口路灯损坏", "content": "修水县某小区门口路灯已损坏两周，夜间出行不便。",
        "name": "张三丰", "phone": "13812345678", "email": "zs@example.com", "publish_consent": "on",
        "website": "", "captcha_0": key, "captcha_1": answer,
    }
    data.update(overrides)
    return data


def post_message(client, channel, files=None, **overrides):
    data = message_data(client, channel, **overrides)
    if files:
        data["attachments"] = files
    return client.post(channel.url + "write/", data, HTTP_HOST=host_of(channel), REMOTE_ADDR="10.0.0.9")
