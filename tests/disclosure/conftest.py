import re

import pytest
from captcha.models import CaptchaStore

from tests.factories import make_user

VALID_ID = "360421199001011235"  # check digit valid (GB 11643)


@pytest.fixture
def handler(county):
    return make_user("xs_officer", county, "officer")


def solve(client, host):
    html = client.get("/ysqgk/", HTTP_HOST=host).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def form_data(client, host, **overrides):
    key, answer = solve(client, host)
    data = {
        "applicant_kind": "natural", "name": "王小明", "id_type": "resident", "id_number": VALID_ID,
        "contact": "", "phone": "13907920000", "email": "wxm@example.com", "postal_address": "九江市濂溪区",
        "description": "申请公开2025年修水县城区道路改造项目的立项批复文件。", "document_hint": "", "purpose": "",
        "delivery": "email", "website": "", "captcha_0": key, "captcha_1": answer,
    }
    data.update(overrides)
    return data


def apply(client, profile, address="10.7.0.1", files=None, **overrides):
    host = profile.site.hostname
    data = form_data(client, host, **overrides)
    if files:
        data["attachments"] = files
    return client.post("/ysqgk/", data, HTTP_HOST=host, REMOTE_ADDR=address)
