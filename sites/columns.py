"""The group-wide column taxonomy. Update monitoring judges freshness by kind."""

from django.db import models


class ColumnKind(models.TextChoices):
    NEWS = "news", "要闻动态"
    NOTICE = "notice", "通知公告"
    POLICY = "policy", "政策文件"
    DISCLOSURE = "disclosure", "信息公开"
    INTERACTION = "interaction", "互动交流"
    TOPIC = "topic", "专题"
    # 办事服务: the entry to the site's services (the national indicators' 服务不实用 veto without one).
    SERVICE = "service", "办事服务"
    OTHER = "other", "其他"


# Columns every site is created with: (slug, title, kind).
STANDARD_COLUMNS = [
    ("ywdt", "要闻动态", ColumnKind.NEWS),
    ("tzgg", "通知公告", ColumnKind.NOTICE),
    ("zcwj", "政策文件", ColumnKind.POLICY),
    ("xxgk", "信息公开", ColumnKind.DISCLOSURE),
    ("hdjl", "互动交流", ColumnKind.INTERACTION),
    ("ztzl", "专题专栏", ColumnKind.TOPIC),
]
