import pytest
from django.core.exceptions import ValidationError

from sitegroup.registry.validators import (
    validate_icp_number,
    validate_phone,
    validate_police_number,
    validate_site_id_code,
)


@pytest.mark.parametrize("value", ["3604000003", "3604240001", "bm01000001", "1100000088"])
def test_valid_site_id_codes(value):
    validate_site_id_code(value)


@pytest.mark.parametrize("value", ["", "360400000", "36040000031", "ab01000001", "9904000003", "36O4000003"])
def test_invalid_site_id_codes_get_chinese_errors(value):
    with pytest.raises(ValidationError) as exc:
        validate_site_id_code(value)
    assert "网站标识码" in str(exc.value)


@pytest.mark.parametrize("value", ["赣ICP备05004431号", "赣ICP备05004431号-1", "京ICP备12345678号"])
def test_valid_icp(value):
    validate_icp_number(value)


@pytest.mark.parametrize("value", ["ICP备05004431号", "赣ICP05004431", "赣ICP备05004431号-", "X ICP备1号"])
def test_invalid_icp(value):
    with pytest.raises(ValidationError, match="ICP 备案号"):
        validate_icp_number(value)


def test_police_number_must_match_province():
    validate_police_number("赣公网安备 36040202000123号")
    validate_police_number("赣公网安备36040202000123号")
    with pytest.raises(ValidationError, match="不一致"):
        validate_police_number("赣公网安备 11040202000123号")
    with pytest.raises(ValidationError, match="格式不正确"):
        validate_police_number("赣公网安备 3604020200012号")


@pytest.mark.parametrize("value", ["0792-8582345", "07928582345", "13907920000", "12345"])
def test_valid_phones(value):
    validate_phone(value)


def test_invalid_phone():
    with pytest.raises(ValidationError, match="联系电话"):
        validate_phone("call me")
