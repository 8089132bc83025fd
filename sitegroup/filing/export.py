"""The filing register as CSV (UTF-8 with BOM, so Excel reads it) and as .xlsx."""

import csv
import io

from sitegroup.registry.models import SiteProfile

COLUMNS = [
    ("网站名称", lambda p: p.site.site_name), ("域名", lambda p: p.site.hostname),
    ("网站类型", lambda p: p.get_kind_display()), ("运行状态", lambda p: p.get_status_display()),
    ("主办单位", lambda p: p.organiser), ("承办单位", lambda p: p.operator),
    ("网站标识码", lambda p: p.site_id_code), ("ICP备案号", lambda p: p.icp_number),
    ("公安机关备案号", lambda p: p.police_number), ("联系电话", lambda p: p.phone),
    ("电子邮箱", lambda p: p.email), ("通信地址", lambda p: p.address), ("分管领导", lambda p: p.leader),
    ("网站负责人", lambda p: p.responsible_person),
]


def rows():
    for profile in SiteProfile.objects.select_related("site").order_by("sort_order", "pk"):
        yield [getter(profile) for _, getter in COLUMNS]


def as_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in COLUMNS])
    writer.writerows(rows())
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def as_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "网站备案登记表"
    sheet.append([name for name, _ in COLUMNS])
    for row in rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
