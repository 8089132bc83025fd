"""What static publishing must still do, how far each target has got, and what
each target should hold (the anti-tamper manifest)."""

from django.db import models


class ChangeKind(models.TextChoices):
    PAGE = "page", "页面"
    ASSET = "asset", "静态资源"


class StaticChange(models.Model):
    """One address to bring in line with the database: an outbox row written in the
    same transaction as the edit that caused it. The id is the order; applying a
    change renders what the database holds *then*, so applying it twice, late or
    after a newer change of the same address gives the same tree."""

    kind = models.CharField("类型", max_length=10, choices=ChangeKind.choices, default=ChangeKind.PAGE)
    hostname = models.CharField("站点域名", max_length=255)
    path = models.CharField("地址", max_length=1000)
    reason = models.CharField("原因", max_length=40, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "待发布变更"
        verbose_name_plural = "待发布变更"
        ordering = ["id"]

    def __str__(self):
        return f"{self.hostname}{self.path}"


class TargetState(models.Model):
    """How far one publishing target has applied the changes, and its health."""

    name = models.CharField("发布目标", max_length=50, unique=True)
    position = models.BigIntegerField("已应用到", default=0)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    retry_at = models.DateTimeField("下次重试", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "发布目标状态"
        verbose_name_plural = "发布目标状态"

    def __str__(self):
        return self.name


class Lease(models.Model):
    """One worker at a time applies changes or verifies: taken and renewed by a
    conditional UPDATE, which both databases make atomic; a worker that dies
    loses it when ``until`` passes."""

    name = models.CharField(max_length=50, unique=True)
    owner = models.CharField(max_length=64, blank=True)
    until = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class PublishedFile(models.Model):
    """One file a target should hold, with the digest it had when written."""

    target = models.CharField("发布目标", max_length=50)
    key = models.CharField("文件", max_length=1000)
    kind = models.CharField("类型", max_length=10, choices=ChangeKind.choices, default=ChangeKind.PAGE)
    hostname = models.CharField("站点域名", max_length=255, blank=True)
    path = models.CharField("地址", max_length=1000)
    page_id = models.BigIntegerField("页面ID", null=True, blank=True, db_index=True)
    title = models.CharField("标题", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小")
    # A local file's modification time as written: verify_static hashes only the
    # files whose size or time changed (``--full`` hashes every file).
    mtime_ns = models.BigIntegerField("修改时间（纳秒）", null=True, blank=True)
    written_at = models.DateTimeField("写入时间", auto_now=True)

    class Meta:
        verbose_name = "已发布文件"
        verbose_name_plural = "已发布文件"
        constraints = [models.UniqueConstraint(fields=["target", "key"], name="one_manifest_row_per_file")]
        indexes = [models.Index(fields=["hostname", "path"], name="published_host_path")]

    def __str__(self):
        return f"{self.target}:{self.key}"
