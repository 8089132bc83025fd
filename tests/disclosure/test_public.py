import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sitegroup.workdays.calendar import add_working_days
from sites.disclosure.models import Application

from .conftest import VALID_ID, apply

pytestmark = pytest.mark.django_db


def test_application_form_works_without_javascript(client, county):
    response = client.get("/ysqgk/", HTTP_HOST=county.site.hostname)
    html = response.content.decode()
    assert response.status_code == 200 and "政府信息公开申请" in html
    assert 'method="post"' in html and 'name="captcha_1"' in html
    assert "no-store" in response["Cache-Control"]


def test_application_is_received_with_a_code_and_the_statutory_deadline(client, county):
    response = apply(client, county)
    assert response.status_code == 200, response.content.decode()[-3000:]
    application = Application.objects.get()
    assert application.code in response.content.decode()
    assert application.limit_days == 20
    assert application.due_on == add_working_days(application.received_on, 20)
    assert application.site == county


@pytest.mark.parametrize("overrides, message", [
    ({"id_number": "36042119900101123X"}, "居民身份证号码不正确"),
    ({"applicant_kind": "commercial", "id_type": "resident"}, "法人或其他组织请选择统一社会信用代码"),
    ({"applicant_kind": "commercial", "id_type": "credit_code", "id_number": "91360400MA35XXXXXX",
      "contact": ""}, "法人或其他组织请填写联系人"),
    ({"delivery": "email", "email": ""}, "请填写电子邮箱"),
    ({"description": ""}, "请填写所需政府信息的内容描述"),
    ({"captcha_1": "nope"}, "验证码不正确"),
])
def test_bad_input_gets_a_clear_message_and_keeps_the_rest(client, county, overrides, message):
    response = apply(client, county, **overrides)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert "王小明" in html or overrides.get("name") == ""
    assert not Application.objects.exists()


def test_duplicate_open_application_is_refused(client, county):
    assert apply(client, county).status_code == 200
    response = apply(client, county)
    assert response.status_code == 400 and "请勿重复提交" in response.content.decode()


def test_flood_is_slowed(client, county):
    statuses = [apply(client, county, description=f"申请公开第{n}号文件的全文内容。").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Application.objects.count() == 3


def test_disguised_attachment_is_refused(client, county):
    bad = SimpleUploadedFile("身份证.jpg", b"MZ\x90\x00" + b"\x00" * 100)
    response = apply(client, county, files=[bad])
    assert response.status_code == 400 and "内容与扩展名不符" in response.content.decode()


def test_query_needs_code_and_phone_and_masks_the_id(client, county):
    apply(client, county)
    application = Application.objects.get()
    host = county.site.hostname
    wrong = client.post("/ysqgk/query/", {"code": application.code, "phone": "13900000000"}, HTTP_HOST=host)
    assert wrong.status_code == 404 and "查询码或联系电话不正确" in wrong.content.decode()
    unknown = client.post("/ysqgk/query/", {"code": "<script>", "phone": "x"}, HTTP_HOST=host)
    assert unknown.status_code == 404 and "<script>" not in unknown.content.decode().split("</form>")[-1]
    right = client.post("/ysqgk/query/", {"code": application.code.lower(), "phone": "13907920000"},
                        HTTP_HOST=host)
    html = right.content.decode()
    assert right.status_code == 200 and "已收到" in html
    assert VALID_ID not in html and "王小明" not in html and "王**" in html
