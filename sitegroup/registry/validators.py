"""Validators for the filing numbers every Chinese government site must display."""

import re

from django.core.exceptions import ValidationError

# Province abbreviations used in ICP and public-security filing numbers, with the
# two-digit administrative division prefix each one must agree with.
PROVINCE_PREFIX = {
    "京": "11", "津": "12", "冀": "13", "晋": "14", "蒙": "15", "辽": "21", "吉": "22",
    "黑": "23", "沪": "31", "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36",
    "鲁": "37", "豫": "41", "鄂": "42", "湘": "43", "粤": "44", "桂": "45", "琼": "46",
    "渝": "50", "川": "51", "贵": "52", "黔": "52", "云": "53", "滇": "53", "藏": "54",
    "陕": "61", "甘": "62", "青": "63", "宁": "64", "新": "65",
}
PROVINCE_CHARS = "".join(PROVINCE_PREFIX)

SITE_ID_RE = re.compile(r"^(?:(?P<region>\d{4})\d{6}|bm\d{8})$")
ICP_RE = re.compile(rf"^(?P<prov>[{PROVINCE_CHARS}])ICP备(?P<num>\d{{6,10}})号(?:-\d{{1,3}})?$")
POLICE_RE = re.compile(rf"^(?P<prov>[{PROVINCE_CHARS}])公网安备\s?(?P<num>\d{{14}})号$")
PHONE_RE = re.compile(r"^(?:0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|1[3-9]\d{9}|12345)$")
VALID_PROVINCE_CODES = set(PROVINCE_PREFIX.values()) | {"71", "81", "82"}


def validate_site_id_code(value: str) -> None:
    """网站标识码: 10 characters, a 4-digit region prefix and a 6-digit serial,
    or "bm" plus 8 digits for departments of the State Council."""
    match = SITE_ID_RE.match(value or "")
    if not match:
        raise ValidationError(
            "网站标识码格式不正确：应为 10 位，如 3604000003（地区代码 4 位 + 序号 6 位）或 bm01000001。",
            code="invalid_site_id_code",
        )
    region = match.group("region")
    if region and region[:2] not in VALID_PROVINCE_CODES:
        raise ValidationError(
            "网站标识码前两位“%(prefix)s”不是有效的省级行政区划代码。",
            code="invalid_site_id_region",
            params={"prefix": region[:2]},
        )


def validate_icp_number(value: str) -> None:
    if not ICP_RE.match(value or ""):
        raise ValidationError(
            "ICP 备案号格式不正确，应形如“赣ICP备05004431号”或“赣ICP备05004431号-1”。",
            code="invalid_icp",
        )


def validate_police_number(value: str) -> None:
    match = POLICE_RE.match(value or "")
    if not match:
        raise ValidationError(
            "公安机关备案号格式不正确，应形如“赣公网安备 36040202000123号”（省份简称 + 14 位数字）。",
            code="invalid_police_number",
        )
    expected = PROVINCE_PREFIX[match.group("prov")]
    if not match.group("num").startswith(expected):
        raise ValidationError(
            "公安机关备案号的行政区划代码与省份简称“%(prov)s”不一致（应以 %(code)s 开头）。",
            code="police_number_region_mismatch",
            params={"prov": match.group("prov"), "code": expected},
        )


def validate_phone(value: str) -> None:
    if not PHONE_RE.match((value or "").replace(" ", "")):
        raise ValidationError(
            "联系电话格式不正确，应为固定电话（如 0792-8888888）或 11 位手机号码。",
            code="invalid_phone",
        )
