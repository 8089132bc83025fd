"""The site registry: one profile (filing record) per Wagtail Site, and its roles."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from wagtail.models import Collection, Site

from .validators import (
    validate_icp_number,
    validate_phone,
    validate_police_number,
    validate_site_id_code,
)


class SiteKind(models.TextChoices):
    PORTAL = "portal", "门户网站"
    COUNTY = "county", "县（市、区）网站"
    DEPARTMENT = "department", "部门网站"


class SiteStatus(models.TextChoices):
    BUILDING = "building", "筹建"
    RUNNING = "running", "运行"
    CLOSED = "closed", "关停"


class Theme(models.TextChoices):
    PORTAL = "portal", "门户主题"
    COUNTY = "county", "县区主题"
    DEPARTMENT = "department", "部门主题"


DEFAULT_THEME_FOR_KIND = {
    SiteKind.PORTAL: Theme.PORTAL,
    SiteKind.COUNTY: Theme.COUNTY,
    SiteKind.DEPARTMENT: Theme.DEPARTMENT,
}

code_validator = RegexValidator(
    r"^[a-z][a-z0-9-]{1,39}$",
    "站点代码只能使用小写字母、数字和连字符，以字母开头，2–40 个字符。",
)


class SiteProfile(models.Model):
    """Filing record (网站备案信息) and configuration of one site in the group."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, related_name="profile", verbose_name="站点"
    )
    code = models.CharField(
        "站点代码", max_length=40, unique=True, validators=[code_validator],
        help_text="用于子域名和命令行，如 xiushui。",
        error_messages={"unique": "该站点代码已被其他站点使用。"},
    )
    kind = models.CharField("网站类型", max_length=20, choices=SiteKind.choices)
    theme = models.CharField("主题", max_length=20, choices=Theme.choices)
    status = models.CharField(
        "运行状态", max_length=20, choices=SiteStatus.choices, default=SiteStatus.BUILDING
    )
    organiser = models.CharField("主办单位", max_length=100)
    operator = models.CharField("承办单位", max_length=100)
    site_id_code = models.CharField(
        "网站标识码", max_length=10, unique=True, validators=[validate_site_id_code],
        error_messages={"unique": "该网站标识码已被其他站点使用，网站标识码在全站群中必须唯一。"},
    )
    icp_number = models.CharField("ICP备案号", max_length=40, validators=[validate_icp_number])
    police_number = models.CharField(
        "公安机关备案号", max_length=40, validators=[validate_police_number]
    )
    phone = models.CharField("联系电话", max_length=40, validators=[validate_phone])
    email = models.EmailField("电子邮箱")
    address = models.CharField("通信地址", max_length=200)
    leader = models.CharField("分管领导", max_length=50)
    responsible_person = models.CharField("网站负责人", max_length=50)
    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, related_name="site_profile",
        verbose_name="媒体库", null=True, blank=True,
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "站点"
        verbose_name_plural = "站点"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.site.site_name or self.code

    @property
    def name(self):
        return self.site.site_name

    @property
    def is_portal(self):
        return self.kind == SiteKind.PORTAL

    @property
    def is_public(self):
        return self.status == SiteStatus.RUNNING


class SiteRole(models.TextChoices):
    ADMIN = "admin", "站点管理员"
    EDITOR = "editor", "编辑"
    REVIEWER = "reviewer", "审核员"
    OFFICER = "officer", "信息员"
    # Each review stage has its own people: one person never passes two stages.
    SECOND_REVIEWER = "second_reviewer", "复审员"
    FINAL_REVIEWER = "final_reviewer", "终审员"


# Roles whose members review (初审, 复审, 终审) rather than write.
REVIEW_ROLES = (SiteRole.REVIEWER, SiteRole.SECOND_REVIEWER, SiteRole.FINAL_REVIEWER)


class SiteGroup(models.Model):
    """Links each per-site permission group to its site and role, so features can
    ask "who reviews for 修水县" without parsing group names."""

    profile = models.ForeignKey(
        SiteProfile, on_delete=models.CASCADE, related_name="role_groups", verbose_name="站点"
    )
    role = models.CharField("角色", max_length=20, choices=SiteRole.choices)
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="site_role", verbose_name="用户组"
    )

    class Meta:
        verbose_name = "站点角色组"
        verbose_name_plural = "站点角色组"
        constraints = [
            models.UniqueConstraint(fields=["profile", "role"], name="one_group_per_site_role")
        ]

    def __str__(self):
        return self.group.name


def group_name(profile_name: str, role: str) -> str:
    return f"{profile_name}·{SiteRole(role).label}"


def office_group_name() -> str:
    return settings.SITEGROUP_OFFICE_GROUP
